// A process with exitOnSignals as the generated mains and `meshspec dev` have it (spawned by
// signals.test.ts). STOP_HANGS=1 makes the graceful stop never finish; ALIVE_AFTER_MS logs `alive`
// once that long has passed without a stop.
import { writeSync } from 'node:fs';
import { exitOnSignals } from '../../../runtime/host/signals.js';
import { createLogger } from '../../../runtime/logging/index.js';

const logger = createLogger({ service: 'signals' });
const keepAlive = setInterval(() => undefined, 60_000); // a server's handles, in short
process.on('exit', (code) => writeSync(1, `exit ${code}\n`));

let stopping = false;
exitOnSignals(async () => {
  stopping = true;
  logger.info('stop called');
  if (process.env['STOP_HANGS'] === '1') await new Promise(() => undefined);
  clearInterval(keepAlive);
}, logger);

const aliveAfter = Number(process.env['ALIVE_AFTER_MS'] ?? 0);
if (aliveAfter > 0) setTimeout(() => stopping || logger.info('alive'), aliveAfter);
logger.info('ready');
