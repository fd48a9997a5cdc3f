// What earlier runs concluded about hook files they had nothing to change in. Reading a hook file
// takes ts-morph (most of a `generate`'s start-up); its outcome depends only on the file's text and
// on what the generator expects of it, so when both are what they were, the outcome is too.
import { digest } from '../cache/folder.js';
import type { MeshModel, ServiceModel } from '../model/types.js';
import { createHookFile } from './create.js';

/** A hook file meshspec left as it was, and the warnings it gave about it. */
export interface HookVerdict {
  /** Digest of the file's text. */
  content: string;
  /** Digest of what the generator expected of the file (see expectation()). */
  expects: string;
  warnings: string[];
}

/** Verdicts by project-relative hook file path, from runs of the generator named `generator`. */
export interface HookVerdicts {
  /** Identifies the generator (generator/cache/fingerprint.ts): another generator's verdicts do not count. */
  generator: string;
  byPath: Map<string, HookVerdict>;
}

/**
 * Everything the planner's outcome for a service's hook file depends on besides its text: the file
 * meshspec would create holds every member name, stub, type and import the service wants (its
 * endpoints, event handlers and call fallbacks, with the callees' endpoint types the fallback stubs
 * name, and its `routes` when it mounts extra routes), and the path and spec file are named in
 * messages. Whether it mounts extra routes is named on its own too: a file that exports `routes` is
 * warned about when the spec no longer mounts them.
 */
export function expectation(generator: string, model: MeshModel, service: ServiceModel, path: string, generatedImport: string): string {
  const routes = service.extraRoutes ? 'extra routes' : 'no extra routes';
  return digest('service hook file', generator, path, service.file, generatedImport, routes, createHookFile(model, service, generatedImport));
}

/** A `.ts` file in the hooks folder that no service owns: the question is only whether it exports `handlers`. */
export function orphanExpectation(generator: string, path: string): string {
  return digest('file no service owns', generator, path);
}

/**
 * One run's use of the verdicts: recalls the ones that still hold, records new ones, and at the end
 * keeps only the files this run looked at (so the record cannot grow without bound).
 */
export class VerdictMemory {
  private readonly seen = new Map<string, HookVerdict>();

  constructor(private readonly verdicts: HookVerdicts) {}

  get generator(): string {
    return this.verdicts.generator;
  }

  /** The warnings of a verdict given for this very text and expectation; undefined when there is none. */
  recall(path: string, text: string, expects: string): string[] | undefined {
    const content = digest(text);
    const verdict = this.verdicts.byPath.get(path);
    if (!verdict || verdict.content !== content || verdict.expects !== expects) return undefined;
    this.seen.set(path, verdict);
    return [...verdict.warnings];
  }

  /** Records that the planner left the file as it is, with these warnings. */
  remember(path: string, text: string, expects: string, warnings: readonly string[]): void {
    this.seen.set(path, { content: digest(text), expects, warnings: [...warnings] });
  }

  /** Replaces the verdicts with the ones this run recalled or recorded. */
  finish(): void {
    this.verdicts.byPath = new Map(this.seen);
  }
}
