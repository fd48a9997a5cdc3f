// Preloaded with `node --require` into a CLI under test: when the process exits, writes to the file
// named by MESHSPEC_PROBE_OUT the CommonJS modules of ts-morph and TypeScript it loaded (a JSON
// array of paths). ts-morph is CommonJS, however it is loaded (import or require), so every one of
// its modules passes through require.cache.
const { writeFileSync } = require('node:fs');

const HEAVY = /[\\/]node_modules[\\/](ts-morph|@ts-morph[\\/]common|typescript)[\\/]/;

process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => HEAVY.test(file) && !file.endsWith('package.json'));
  writeFileSync(process.env.MESHSPEC_PROBE_OUT, JSON.stringify(loaded));
});
