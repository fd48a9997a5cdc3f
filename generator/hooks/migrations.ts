// The SQL migrations of a service with storage live beside the hook files, in
// `<hooks>/migrations/<service>/`, applied by the runtime in file-name order at start-up. Like a hook
// file, the folder is the user's: meshspec creates a commented starter when the folder holds no
// migration, and never rewrites, renames or deletes one (not even when `storage` leaves the spec).
import type { ServiceModel } from '../model/types.js';
import { FIRST_MIGRATION, migrationsFolder } from '../naming/index.js';

/**
 * The first migration of a service: comments only (applying it changes nothing), saying how
 * migrations work, with a sample table to start from.
 *
 * @param service the service with storage
 * @example starterMigration(orders) // '-- Migrations of the `orders` database: ...'
 */
export function starterMigration(service: ServiceModel): string {
  return [
    `-- Migrations of the \`${service.name}\` database: every \`.sql\` file of this folder, applied in`,
    '-- file-name order when the service starts (0001_init.sql, 0002_add_status.sql, ...). Each file',
    '-- runs once, in its own transaction, and is recorded in the table meshspec_migrations: a failing',
    '-- file applies nothing and stops the start-up. Never edit a file once it has been applied',
    '-- anywhere (the service refuses to start when an applied file changed): add the next one instead.',
    '--',
    '-- meshspec created this file once and never overwrites it. The same SQL runs on PostgreSQL and on',
    '-- the embedded PGlite of `meshspec dev` and the tests.',
    '--',
    `-- CREATE TABLE ${service.name} (`,
    '--   id         text PRIMARY KEY,',
    '--   created_at timestamptz NOT NULL DEFAULT now()',
    '-- );',
    '',
  ].join('\n');
}

/**
 * The starter migrations to create: one for each service with storage whose migrations folder holds
 * no `.sql` file yet.
 *
 * @param services the mesh's services
 * @param hooksDir the hooks folder, project-relative
 * @param listFolder names of the files in a project-relative folder (none when it does not exist)
 * @example plannedMigrations([orders], 'hooks', () => []) // [{ path: 'hooks/migrations/orders/0001_init.sql', content: '-- ...' }]
 */
export function plannedMigrations(
  services: readonly ServiceModel[], hooksDir: string, listFolder: (folder: string) => string[],
): { path: string; content: string }[] {
  return services.flatMap((service) => {
    if (service.storage === null) return [];
    const folder = migrationsFolder(hooksDir, service.name);
    if (listFolder(folder).some((name) => name.endsWith('.sql'))) return [];
    return [{ path: `${folder}/${FIRST_MIGRATION}`, content: starterMigration(service) }];
  });
}
