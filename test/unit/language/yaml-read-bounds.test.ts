// Explaining a YAML mistake tries repairs and parses again; on a big file that must stay bounded.
// Without the parse budget, the file below took minutes.
import { describe, expect, it } from 'vitest';
import { readYaml } from '../../../generator/language/yaml/read.js';

function bigServiceFile(types: number): string[] {
  const lines = ['service: big', 'ports: { http: 3001 }', 'types:'];
  for (let i = 0; i < types; i++) {
    lines.push(`  T${i}:`, '    fields:');
    for (let j = 1; j <= 5; j++) lines.push(`      f${j}: { type: string, field: ${j} }`);
  }
  return lines;
}

describe('reading a big file with a mistake', () => {
  it('answers with one problem, at the mistake, in bounded time', () => {
    const lines = bigServiceFile(3000);
    lines[5000] = ` ${lines[5000]}`;
    const text = `${lines.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(500_000);
    const started = performance.now();
    const { problems } = readYaml(text);
    // A few seconds with the budget, minutes without: a bound load does not reach (it was 20 s, and
    // this takes 7 s when other tests share the two cores).
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(5001);
  }, 120_000);

  it('finds the mis-indented line itself in a file of usual size', () => {
    const lines = bigServiceFile(20);
    lines[50] = ` ${lines[50]}`;
    const { problems } = readYaml(`${lines.join('\n')}\n`);
    expect(problems.map((p) => [p.line, p.indentation])).toEqual([[51, true]]);
  });
});
