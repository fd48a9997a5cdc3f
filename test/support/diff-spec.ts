// A small mesh every diff case edits: one service whose types travel as inputs (CreateUser), outputs
// (User) and an event payload (UserCreated), with enums, reserved numbers, constraints and a gateway.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const baseMesh = `mesh: shop
version: 1.0.0
types:
  Status:
    enum: [active, blocked]
  UserCreated:
    fields:
      userId: { type: string, field: 1 }
      email: { type: string, field: 2 }
      plan: { type: string, optional: true, field: 3 }
  UserDeleted:
    fields:
      userId: { type: string, field: 1 }
events:
  user.created: { payload: UserCreated }
  user.deleted: { payload: UserDeleted }
gateway:
  port: 8080
  routes:
    - { prefix: /api/users, service: users, rewrite: /users }
`;

export const baseUsers = `service: users
ports: { http: 3001, grpc: 50051 }
types:
  User:
    fields:
      id: { type: string, field: 1 }
      name: { type: string, maxLength: 100, field: 2 }
      age: { type: integer, minimum: 0, optional: true, field: 3 }
      status: { type: Status, field: 4 }
    reserved: [9]
  CreateUser:
    fields:
      name: { type: string, minLength: 1, maxLength: 100, field: 1 }
      age: { type: integer, minimum: 0, optional: true, field: 2 }
      nickname: { type: string, optional: true, field: 3 }
      role: { enum: [member, admin], field: 4 }
    reserved: [7]
errors:
  EmailTaken: { status: 409 }
endpoints:
  createUser:
    http: POST /users
    input: CreateUser
    output: User
    errors: [EmailTaken]
    emits: [user.created]
  getUser:
    http: GET /users/{id}
    output: User
    errors: [NotFound]
  deleteUser:
    http: DELETE /users/{id}
    errors: [NotFound]
    emits: [user.deleted]
`;

/** The base spec's files, by path inside the spec folder. */
export const baseSpec: Record<string, string> = { 'mesh.yaml': baseMesh, 'services/users.yaml': baseUsers };

/** Writes `files` as `<fresh temp folder>/spec` and returns that folder (the working folder of a compile). */
export async function writeSpec(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshspec-diff-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, 'spec', name)), { recursive: true });
    await writeFile(path.join(root, 'spec', name), text);
  }
  return root;
}

/** The base spec with each `[file, from, to]` replacement made once (each `from` must occur). */
export function edited(edits: [file: string, from: string, to: string][]): Record<string, string> {
  const files = { ...baseSpec };
  for (const [file, from, to] of edits) {
    const text = files[file];
    if (text === undefined || !text.includes(from)) throw new Error(`the edit of ${file} looks for text it does not hold: ${from}`);
    files[file] = text.replace(from, to);
  }
  return files;
}
