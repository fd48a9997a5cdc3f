// The TypeScript emitter: the generated/ files that link the spec to the runtime and the user's
// hooks. One module per output file kind; this one only lays them out (ARCHITECTURE.md, generated/).
import type { EmittedFile } from '../../model/types.js';
import type { Emitter } from '../types.js';
import { clientFile } from './client-file.js';
import { definitionFile } from './definition-file.js';
import { errorsFile } from './errors-file.js';
import { eventsFile } from './events-file.js';
import { handlersFile } from './handlers-file.js';
import { hostFile } from './host-file.js';
import { mainFile } from './main-file.js';
import { serviceSources } from './names.js';
import { schemasFile } from './schemas-file.js';
import { stackFile } from './stack-file.js';
import { typesFile } from './types-file.js';

export const emitTypeScript: Emitter = (model, options) => {
  const meshWide = (path: string, content: string): EmittedFile => ({ path, content, sources: [...model.files] });
  const files: EmittedFile[] = [
    meshWide('schemas.ts', schemasFile(model)),
    meshWide('types.ts', typesFile(model)),
    meshWide('events.ts', eventsFile(model)),
    meshWide('stack.ts', stackFile(model)),
  ];
  for (const service of model.services) {
    const sources = serviceSources(model, service);
    const file = (name: string, content: string): EmittedFile => ({
      path: `${service.name}/${name}`,
      content,
      sources: [...sources],
    });
    files.push(
      file('definition.ts', definitionFile(model, service)),
      file('errors.ts', errorsFile(service)),
      file('handlers.ts', handlersFile(model, service)),
      file('client.ts', clientFile(service)),
      file('host.ts', hostFile(service, options)),
      file('main.ts', mainFile(model, service)),
    );
  }
  return files;
};

