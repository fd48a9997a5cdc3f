// Semantic checks: everything the JSON Schema cannot say (references, uniqueness, clashes).
import type { Diagnostic } from '../diagnostics.js';
import type { SpecIndex } from '../collect.js';
import { checkBus } from './bus.js';
import { checkDeploy } from './deploy.js';
import { checkEventVersions } from './event-versions.js';
import { checkFallbacks } from './fallbacks.js';
import { checkGatewaySecurity } from './gateway-security.js';
import { checkRouteBodyLimits } from './gateway-routes.js';
import { checkGeneratedNames } from './generated-names.js';
import { checkGroups } from './groups.js';
import { checkHealth } from './health.js';
import { checkCallPolicies, checkPolicies } from './policies.js';
import { checkDurations, checkEvents, checkGateway, checkPorts } from './mesh.js';
import { Reporter } from './reporter.js';
import { checkSagaEndpoints } from './saga-endpoints.js';
import { checkSagas } from './sagas.js';
import { checkServices } from './services.js';
import { checkStorage } from './storage.js';
import { checkTypes } from './types.js';

export function checkSemantics(index: SpecIndex): Diagnostic[] {
  const report = new Reporter();
  checkTypes(index, report);
  checkServices(index, report);
  checkEvents(index, report);
  checkEventVersions(index, report);
  checkPorts(index, report);
  checkDurations(index, report);
  checkBus(index, report);
  checkPolicies(index, report);
  checkCallPolicies(index, report);
  checkFallbacks(index, report);
  checkHealth(index, report);
  checkGeneratedNames(index, report);
  checkGateway(index, report);
  checkGatewaySecurity(index, report);
  checkRouteBodyLimits(index, report);
  checkGroups(index, report);
  checkDeploy(index, report);
  checkStorage(index, report);
  checkSagas(index, report);
  checkSagaEndpoints(index, report);
  return report.diagnostics;
}
