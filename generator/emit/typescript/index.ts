// The TypeScript emitter: the generated/ files that link the spec to the runtime and the user's
// hooks. One module per output file kind; this one only lays them out (ARCHITECTURE.md, generated/).
import { groupOf, groupsOf } from '../../model/lookup.js';
import { outputFiles, type ServiceModule } from '../../naming/index.js';
import type { EmittedFile, Emitter } from '../types.js';
import { clientFile } from './client-file.js';
import { definitionFile } from './definition-file.js';
import { entryFile } from './entry-file.js';
import { errorsFile } from './errors-file.js';
import { eventsFile } from './events-file.js';
import { handlersFile } from './handlers-file.js';
import { hostFile } from './host-file.js';
import { groupMainFile } from './group-main-file.js';
import { mainFile } from './main-file.js';
import { serviceSources } from './names.js';
import { sagaFile } from './saga-file.js';
import { schemasFile } from './schemas-file.js';
import { stackFile } from './stack-file.js';
import { typesFile } from './types-file.js';

export const emitTypeScript: Emitter = (model, options) => {
  const meshWide = (path: string, content: string): EmittedFile => ({ path, content, sources: [...model.files] });
  const files: EmittedFile[] = [
    meshWide(outputFiles.schemas, schemasFile(model)),
    { path: outputFiles.meshTypes, content: typesFile(model, null), sources: [model.meshFile] },
    meshWide(outputFiles.events, eventsFile(model)),
    meshWide(outputFiles.stack, stackFile(model)),
    meshWide(outputFiles.entry, entryFile(model, options.layout)),
  ];
  for (const service of model.services) {
    const sources = serviceSources(model, service);
    const file = (module: ServiceModule, content: string): EmittedFile => ({
      path: outputFiles.serviceModule(service.name, module),
      content,
      sources: [...sources],
    });
    files.push(
      // A service's types depend only on its own file and the mesh's; its other modules on its callees' too.
      { path: outputFiles.serviceModule(service.name, 'types'), content: typesFile(model, service.name), sources: [model.meshFile, service.file].sort() },
      file('definition', definitionFile(model, service)),
      file('errors', errorsFile(service)),
      file('handlers', handlersFile(model, service, options)),
      file('client', clientFile(model, service)),
      file('host', hostFile(model, service, options)),
    );
    // Only a service that runs sagas gets their module.
    const sagas = sagaFile(model, service);
    if (sagas !== null) files.push(file('sagas', sagas));
    // A grouped service runs in its group's process only: a main.ts of its own would be a second way to deploy it.
    if (groupOf(model, service.name) === null) files.push(file('main', mainFile(model, service)));
  }
  for (const group of groupsOf(model)) {
    const members = model.services.filter((s) => group.services.includes(s.name));
    const sources = [...new Set(members.flatMap((s) => serviceSources(model, s)))].sort();
    files.push({ path: outputFiles.groupMain(group.name), content: groupMainFile(model, group), sources });
  }
  return files;
};
