// Orchestrated sagas (issue #12): the contract the generated code fills in (types.ts), the
// orchestrator that drives them, the durable log it writes before acting, and the routes that show
// them. See README.md for what a saga guarantees and what the user must make idempotent.
export type { SagaDefinition, SagaFailure, SagaRecord, SagaState, SagaStatus, SagaStep, SagaView, StepCall, StepRecord, StepRun } from './types.js';
export { createSagaOrchestrator, type SagaOrchestrator } from './orchestrator.js';
export type { SagaOrchestratorOptions } from './options.js';
export type { SagaStats } from './stats.js';
export { LeaseLost, type LoadedSaga, type NewSaga, type SagaChange, type SagaFilter, type SagaLog, type SagaSummary, type SagaTransition, type StepKey, type StepResult } from './log/types.js';
export { createMemorySagaLog, type MemorySagaLogOptions } from './log/memory.js';
export { createDatabaseSagaLog, type DatabaseSagaLogOptions } from './log/database.js';
export { SAGA_STEPS_TABLE, SAGAS_TABLE, ensureSagaTables } from './log/tables.js';
export { DEFAULT_SAGA_LIST_LIMIT, filterOf, MAX_SAGA_LIST_LIMIT, sagaRoutes, type SagaReader } from './routes.js';
export { isSagaId, SAGA_ID_PATTERN, sagaIdFromKey } from './ids.js';
export { withSagaEndpoints, sagaStatusOf, waitMs, type SagaEndpointsOptions } from './endpoints.js';
export { sagaAccepted } from './accepted.js';
export { createParticipant, followChoreographies, sagaStateOf, createPublishRecorder, reportEvent, PARTICIPANTS_TABLE, type ChoreographyOwner, type OwnerStats, type Participant, type StepReport } from './choreography/index.js';
