// The schema line of a spec file points at the installed package's schema from where the file is.
import { describe, expect, it } from 'vitest';
import { schemaLine, withSchemaLine } from '../../../generator/init/schema-line.js';

describe('schema lines', () => {
  it('point from each spec file to node_modules/meshspec/dist/meshspec.schema.json', () => {
    expect(schemaLine('spec/mesh.yaml')).toBe('# yaml-language-server: $schema=../node_modules/meshspec/dist/meshspec.schema.json');
    expect(schemaLine('spec/services/users.yaml')).toBe('# yaml-language-server: $schema=../../node_modules/meshspec/dist/meshspec.schema.json');
  });

  it('replace the first line when it is one, and only that line', () => {
    const text = '# yaml-language-server: $schema=../../generator/language/schema/meshspec.schema.json\nservice: users\n# yaml-language-server: $schema=keep\n';
    expect(withSchemaLine('spec/services/users.yaml', text)).toBe(
      '# yaml-language-server: $schema=../../node_modules/meshspec/dist/meshspec.schema.json\nservice: users\n# yaml-language-server: $schema=keep\n',
    );
  });

  it('are added first to a file without one', () => {
    expect(withSchemaLine('spec/mesh.yaml', 'mesh: shop\n')).toBe('# yaml-language-server: $schema=../node_modules/meshspec/dist/meshspec.schema.json\nmesh: shop\n');
  });
});
