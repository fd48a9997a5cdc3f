// generated/Dockerfile.dockerignore: the build context is the project root, and only what the
// Dockerfile copies may enter it: an allow-list, so that a new file (.env, a database dump) stays out.
import type { ProjectLayout } from '../../naming/index.js';

/**
 * The ignore file of generated/Dockerfile (BuildKit reads `<Dockerfile>.dockerignore` beside it).
 *
 * @param layout the generated and hooks folders, the only folders the build copies
 * @example dockerignore(defaultLayout) // "*\n!package.json\n...!generated\n!hooks\n**\/node_modules\n..."
 */
export function dockerignore(layout: ProjectLayout): string {
  return `# Everything is left out of the build context except what ${layout.outDir}/Dockerfile copies.
*
!package.json
!package-lock.json
!tsconfig.json
!${layout.outDir}
!${layout.hooksDir}
# Never, even inside those: installed packages, local data, logs, secrets. (build/ and dist/ at the
# root are out with the rest; a service may be named build, so its generated folder is not.)
**/node_modules
**/.git
**/.meshspec
**/*.log
**/.env
**/.env.*
`;
}
