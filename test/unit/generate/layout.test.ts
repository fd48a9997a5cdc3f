// The folders `--out` and `--hooks` name, as generate() takes them: normalized, or refused with a
// reason when they cannot work.
import { describe, expect, it } from 'vitest';
import { projectLayout } from '../../../generator/generate.js';
import { LayoutError } from '../../../generator/layout-error.js';

describe('projectLayout', () => {
  it('normalizes folders to project-relative paths with `/`, the project root as ``', () => {
    expect(projectLayout('./build/gen/', 'src//hooks')).toEqual({ outDir: 'build/gen', hooksDir: 'src/hooks' });
    expect(projectLayout('generated', '.')).toEqual({ outDir: 'generated', hooksDir: '' });
  });

  it('refuses an output folder that is the project itself, outside it, or around the hooks', () => {
    expect(() => projectLayout('.', 'hooks')).toThrow(new LayoutError('.: the output folder must be a folder inside the project, not the project itself'));
    expect(() => projectLayout('../elsewhere', 'hooks')).toThrow(LayoutError);
    expect(() => projectLayout('/tmp/gen', 'hooks')).toThrow(/must be inside the project/);
    expect(() => projectLayout('gen', 'gen/hooks')).toThrow(/the hooks folder \(gen\/hooks\) must not be inside the output folder \(gen\)/);
  });
});
