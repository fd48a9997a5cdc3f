// Objects -> one multi-document YAML file. Key order is the builders' (apiVersion, kind,
// metadata, spec), which is how manifests are conventionally read.
import { stringify } from 'yaml';

export function toYamlDocuments(objects: readonly object[]): string {
  return objects.map((o) => stringify(o, { aliasDuplicateObjects: false, lineWidth: 0 })).join('---\n');
}
