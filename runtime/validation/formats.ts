// The spec language's string formats on an ajv instance: the checks of common/formats.ts, which
// follow the JSON Schema definitions the OpenAPI documents publish (ajv-formats is stricter in some
// places, `0@com`, and looser in others, `urn:uuid:` prefixes, a space in a date-time).
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { stringFormats } from '../../common/formats.js';

export function addStringFormats(ajv: Ajv2020): Ajv2020 {
  for (const [name, check] of Object.entries(stringFormats)) ajv.addFormat(name, { type: 'string', validate: check });
  return ajv;
}
