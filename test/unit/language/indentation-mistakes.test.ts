// One wrong indentation is one error at the line that is wrong. Every line of an example service
// file is indented one and two spaces deeper and less, in turn: the file either still means a valid
// spec, or meshspec reports exactly one error, on that line (whether the YAML breaks, or reads but
// puts a key in the wrong map).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';
import { readYaml } from '../../../generator/language/yaml/read.js';
import { compileSpec } from '../../../generator/pipeline.js';

const repo = path.resolve(import.meta.dirname, '../../..');
const file = 'services/users.yaml';
const lines = readFileSync(path.join(repo, 'spec', file), 'utf8').split('\n');
const work = mkdtempSync(path.join(tmpdir(), 'meshspec-indent-'));
cpSync(path.join(repo, 'spec'), path.join(work, 'spec'), { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mutations: { line: number; delta: number; text: string }[] = [];
lines.forEach((text, i) => {
  if (text.trim() === '' || text.trim().startsWith('#')) return;
  for (const delta of [-2, -1, 1, 2]) {
    if (delta < 0 && !text.startsWith(' '.repeat(-delta))) continue;
    const mutated = [...lines];
    mutated[i] = delta < 0 ? text.slice(-delta) : ' '.repeat(delta) + text;
    mutations.push({ line: i + 1, delta, text: mutated.join('\n') });
  }
});

describe(`indentation mistakes in spec/${file}`, () => {
  it('covers every line', () => {
    expect(mutations.length).toBeGreaterThan(100);
  });

  it('a YAML that no longer reads gets one problem, at the mutated line', () => {
    for (const { line, delta, text } of mutations) {
      const { problems } = readYaml(text);
      if (problems.length === 0) continue;
      expect(problems.map((p) => `${p.line}: ${p.message}`), `line ${line} indented ${delta}`).toHaveLength(1);
      expect(problems[0]!.line, `line ${line} indented ${delta}: ${problems[0]!.message}`).toBe(line);
    }
  });

  it('a YAML that still reads gets no error or one, at the mutated line', async () => {
    let judged = 0;
    for (const { line, delta, text } of mutations) {
      if (readYaml(text).problems.length > 0) continue;
      writeFileSync(path.join(work, 'spec', file), text);
      const errors = (await compileSpec('spec', work)).diagnostics.filter((d) => d.severity === 'error');
      judged++;
      if (errors.length === 0) continue;
      expect(errors.map(formatDiagnostic), `line ${line} indented ${delta}`).toHaveLength(1);
      expect([errors[0]!.file, errors[0]!.line], `line ${line} indented ${delta}`).toEqual([`spec/${file}`, line]);
    }
    expect(judged).toBeGreaterThan(10);
  }, 60_000);
});
