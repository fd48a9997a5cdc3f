// Choreographed sagas (issue #12): participants take their steps as event hooks and undo them on
// later steps' failure events; the owner keeps the saga's log from their reports. See the README
// beside this folder, section "Choreographed sagas".
export { createParticipant, type Participant, type ParticipantOptions } from './participant.js';
export { followChoreographies, sagaStateOf, type ChoreographyOwner, type OwnerOptions, type OwnerStats } from './owner.js';
export { createPublishRecorder, type PublishRecorder, type Published } from './published.js';
export { reportEvent, parseReport, correlatedId, type StepReport } from './reports.js';
export { PARTICIPANTS_TABLE, ensureParticipantsTable } from './tables.js';
