// The generated files of one spec against tools nobody here wrote: buf (build, STANDARD lint,
// format), protobufjs, the OpenAPI 3.1 schema and Ajv, the Kubernetes object schemas and the API
// server's own rules. Each check returns its problems, one line each, rather than throwing, so a
// run can report all of them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { parse, parseAllDocuments } from 'yaml';
import type { TempProject } from '../../support/project.js';
import { bufIn } from '../../support/buf.js';
import { apiServerProblems, validateObject, type Obj } from '../../support/kubernetes.js';
import { compileComponents, compileOperationSchemas, invalidExamples, unresolvedRefs, validateOpenApi, type Doc } from '../../support/openapi.js';

export async function protoProblems(project: TempProject, files: readonly string[]): Promise<string[]> {
  const protos = files.filter((f) => f.endsWith('.proto')).map((f) => path.posix.relative('generated/proto', f));
  if (protos.length === 0) return [];
  const dir = project.file('generated/proto');
  const problems: string[] = [];
  for (const args of [['build'], ['lint'], ['format', '--diff', '--exit-code']]) {
    const { code, output } = await bufIn(dir, args);
    if (code !== 0 || output !== '') problems.push(`buf ${args[0]} (exit ${code}): ${output.trim()}`);
  }
  for (const file of protos) {
    try {
      const root = new protobuf.Root();
      root.resolvePath = (_origin, target) => path.join(dir, target);
      root.loadSync(file);
      root.resolveAll();
    } catch (error) {
      problems.push(`protobufjs cannot load ${file}: ${(error as Error).message}`);
    }
  }
  return problems;
}

export async function openApiProblems(project: TempProject, files: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.openapi.yaml'))) {
    let doc: Doc;
    try {
      doc = parse(await project.read(file)) as Doc;
    } catch (error) {
      problems.push(`${file} is not YAML: ${(error as Error).message}`);
      continue;
    }
    const result = await validateOpenApi(doc);
    if (!result.valid) problems.push(`${file} is not valid OpenAPI 3.1: ${JSON.stringify(result.errors).slice(0, 2000)}`);
    const refs = unresolvedRefs(doc);
    if (refs.length > 0) problems.push(`${file} has unresolved refs: ${refs.join(', ')}`);
    try {
      compileComponents(doc);
      compileOperationSchemas(doc);
    } catch (error) {
      problems.push(`${file} has a schema Ajv rejects: ${(error as Error).message}`);
      continue;
    }
    const examples = invalidExamples(doc);
    if (examples.length > 0) problems.push(`${file} has examples its own schemas reject: ${examples.join('; ')}`);
  }
  return problems;
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error === undefined;

export async function kubernetesProblems(project: TempProject, files: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  // A service may be named `k8s`: its TypeScript modules then share the folder with the manifests.
  // The base's objects; its kustomization and the overlays' are not API objects.
  const manifests = files.filter((f) => f.startsWith('generated/k8s/base/') && f.endsWith('.yaml') && f !== 'generated/k8s/base/kustomization.yaml');
  let count = 0;
  for (const file of manifests) {
    for (const document of parseAllDocuments(await project.read(file))) {
      if (document.errors.length > 0) {
        problems.push(`${file} is not YAML: ${document.errors[0]!.message}`);
        continue;
      }
      const o = document.toJS() as Obj;
      count++;
      try {
        validateObject(o);
      } catch (error) {
        problems.push(`${file} ${o.kind}/${o.metadata?.name}: ${(error as Error).message.slice(0, 1000)}`);
      }
      problems.push(...apiServerProblems(o).map((p) => `${file} ${p}`));
    }
  }
  if (kubectl && existsSync(project.file('generated/k8s/base/kustomization.yaml'))) {
    for (const folder of ['base', 'overlays/dev', 'overlays/prod']) {
      const built = spawnSync('kubectl', ['kustomize', project.file(`generated/k8s/${folder}`)], { encoding: 'utf8' });
      if (built.status !== 0) problems.push(`kubectl kustomize ${folder} failed: ${built.stderr.trim()}`);
      // dev drops the autoscalers; base and prod keep every object.
      else if (folder !== 'overlays/dev' && parseAllDocuments(built.stdout).length !== count) problems.push(`kubectl kustomize ${folder} built ${parseAllDocuments(built.stdout).length} objects of ${count}`);
    }
  }
  return problems;
}
