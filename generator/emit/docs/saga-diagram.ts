// A saga as a Mermaid flowchart: its steps in order, each with the endpoint it calls; on a failure
// the compensations of the steps before, in reverse; the final states `completed` and `compensated`.
// Node ids are made here (`step1`, `undo1`), never from spec text, and every label is a quoted
// Mermaid string (mermaid.ts), so no name can add syntax.
import type { OrchestratedSagaModel } from '../../model/types.js';
import { mermaidLabel } from './mermaid.js';

/**
 * The saga's flowchart (Mermaid source, without the code fence). A step that fails (answers with an
 * error) goes to the compensation of the last step before it that has one; one whose outcome stays
 * unknown (the call may have taken effect) goes to its own compensation first. Compensations run
 * back to the first step, then the saga is compensated.
 *
 * @param saga - the saga
 * @example sagaDiagram(placeOrder).split('\n')[0] // 'flowchart TD'
 */
export function sagaDiagram(saga: OrchestratedSagaModel): string {
  const lines = ['flowchart TD', `  start([${mermaidLabel(saga.name)}])`];
  const stepId = (i: number) => `step${i + 1}`;
  const undoId = (i: number) => `undo${i + 1}`;
  saga.steps.forEach((step, i) => {
    lines.push(`  ${stepId(i)}[${mermaidLabel(`${i + 1}. ${step.name}: ${step.call.service}.${step.call.endpoint}`)}]`);
  });
  saga.steps.forEach((step, i) => {
    if (step.compensate) lines.push(`  ${undoId(i)}[${mermaidLabel(`undo ${step.name}: ${step.compensate.service}.${step.compensate.endpoint}`)}]`);
  });
  lines.push(`  completed([${mermaidLabel('completed')}])`, `  compensated([${mermaidLabel('compensated')}])`);
  // Where undoing goes once everything before step `i` is to be undone: the last earlier compensation.
  const undoBefore = (i: number): string => {
    for (let j = i - 1; j >= 0; j--) if (saga.steps[j]?.compensate) return undoId(j);
    return 'compensated';
  };
  lines.push(`  start --> ${saga.steps.length > 0 ? stepId(0) : 'completed'}`);
  saga.steps.forEach((step, i) => {
    lines.push(`  ${stepId(i)} -->|ok| ${i + 1 < saga.steps.length ? stepId(i + 1) : 'completed'}`);
    lines.push(`  ${stepId(i)} -.->|fails| ${undoBefore(i)}`);
    if (step.compensate) lines.push(`  ${stepId(i)} -.->|unknown| ${undoId(i)}`);
  });
  saga.steps.forEach((step, i) => {
    if (step.compensate) lines.push(`  ${undoId(i)} -.-> ${undoBefore(i)}`);
  });
  return `${lines.join('\n')}\n`;
}
