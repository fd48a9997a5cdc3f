// The first reload of a session would pay for what the start of `meshspec dev` skipped: the hook
// planner reads hook files with ts-morph only when they changed since the last run (its verdicts),
// so the first saved hook loads and compiles ts-morph's TypeScript, a second or more. Done once in
// the background after the stack is up, writing nothing, the developer's first save finds it ready.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectLayout, renderProject } from '../../generate.js';
import { compileSpec } from '../../pipeline.js';

/**
 * Compiles the spec and plans the hook files as a changed hook file would make a reload do.
 *
 * @param layout - the project's folders, project-relative
 * @example
 * void warmUpGenerator({ root: process.cwd(), specDir: 'spec', outDir: 'generated', hooksDir: 'hooks' });
 */
export async function warmUpGenerator(layout: { root: string; specDir: string; outDir: string; hooksDir: string }): Promise<void> {
  const { model } = await compileSpec(layout.specDir, layout.root);
  if (!model) return;
  const names = (folder: string) => {
    try {
      return readdirSync(path.join(layout.root, folder)).sort();
    } catch {
      return [];
    }
  };
  renderProject(model, projectLayout(layout.outDir, layout.hooksDir), {
    read: (file) => {
      try {
        return readFileSync(path.join(layout.root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: () => names(layout.hooksDir).filter((n) => n.endsWith('.ts')).map((n) => `${layout.hooksDir}/${n}`),
    listFolder: names,
  });
}
