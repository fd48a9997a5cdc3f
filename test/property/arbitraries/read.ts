// A spec folder on disk read back into a SpecPlan, so that a fixed spec (a counterexample the
// properties found, test/property/counterexamples/) goes through the same checks as a generated one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { EventPlan, FieldPlan, MeshPlan, ServicePlan, SpecFiles, SpecPlan, TypePlan } from './plan.js';

type Raw = Record<string, any>;

export function readSpecFolder(dir: string): { files: SpecFiles; plan: SpecPlan } {
  const files: SpecFiles = { 'mesh.yaml': readFileSync(path.join(dir, 'mesh.yaml'), 'utf8') };
  for (const name of readdirSync(path.join(dir, 'services')).sort()) {
    files[`services/${name}`] = readFileSync(path.join(dir, 'services', name), 'utf8');
  }
  return { files, plan: planOf(files) };
}

export function planOf(files: SpecFiles): SpecPlan {
  const mesh = parse(files['mesh.yaml']!) as Raw;
  const services = Object.entries(files)
    .filter(([file]) => file.startsWith('services/'))
    .map(([, text]) => serviceOf(parse(text) as Raw));
  return { mesh: meshOf(mesh), services, style: { kind: 'hand', indent: 2, flowFields: true, comments: false } };
}

function meshOf(raw: Raw): MeshPlan {
  const { types, events, ...rest } = raw;
  return {
    ...(rest as MeshPlan),
    ...(types && { types: typesOf(types) }),
    ...(events && { events: Object.entries(events as Raw).map(([name, e]) => ({ name, ...(e as Raw) }) as EventPlan) }),
  };
}

function serviceOf(raw: Raw): ServicePlan {
  const { types, errors, endpoints, ...rest } = raw;
  return {
    ...(rest as ServicePlan),
    ...(types && { types: typesOf(types) }),
    ...(errors && { errors: Object.entries(errors as Raw).map(([name, e]) => ({ name, ...(e as Raw) }) as { name: string; status: number }) }),
    ...(endpoints && { endpoints: Object.entries(endpoints as Raw).map(([name, e]) => ({ name, ...(e as Raw) }) as { name: string; http: string }) }),
  };
}

function typesOf(raw: Raw): TypePlan[] {
  return Object.entries(raw).map(([name, t]) => {
    const { fields, ...rest } = t as Raw;
    return {
      name,
      ...rest,
      ...(fields && { fields: Object.entries(fields as Raw).map(([fieldName, f]) => ({ name: fieldName, ...(f as Raw) }) as FieldPlan) }),
    };
  });
}
