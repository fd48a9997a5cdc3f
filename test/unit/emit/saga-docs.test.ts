import { describe, expect, it } from 'vitest';
import { emitDocs } from '../../../generator/emit/docs/index.js';
import { markdownText } from '../../../generator/emit/docs/markdown.js';
import { mermaidLabel } from '../../../generator/emit/docs/mermaid.js';
import { sagaDiagram } from '../../../generator/emit/docs/saga-diagram.js';
import { sagasDoc } from '../../../generator/emit/docs/sagas-doc.js';
import type { MeshModel, OrchestratedSagaModel, SagaModel, SagaStepModel, SagaValue } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

const source = { file: 'services/orders.yaml', line: 1, col: 1 };
const input: SagaValue = { kind: 'object', fields: [] };

function step(name: string, call: string, undo: string | null, timeoutMs: number | null = null): SagaStepModel {
  const [service = '', endpoint = ''] = call.split('.');
  const compensate = undo === null ? null : { service: undo.split('.')[0] ?? '', endpoint: undo.split('.')[1] ?? '', input };
  return { name, call: { service, endpoint }, input, compensate, timeoutMs, source };
}

/** Five steps: the first and the last without compensation, a timeout on the third. */
const fulfil: OrchestratedSagaModel = {
  kind: 'orchestrated',
  name: 'fulfilOrder',
  description: 'Fulfils an order end to end.',
  service: 'orders',
  input: 'FulfilOrder',
  output: null,
  steps: [
    step('validateUser', 'users.getUser', null),
    step('reserveInventory', 'inventory.reserve', 'inventory.releaseReservation'),
    step('chargePayment', 'payments.charge', 'payments.refund', 2000),
    step('createOrder', 'orders.createOrder', 'orders.cancelOrder'),
    step('notifyUser', 'users.notify', null),
  ],
  source,
};

/** A mesh whose only content the docs read: services and their sagas. */
function mesh(sagas: SagaModel[]): MeshModel {
  const orders = { name: 'orders', file: 'services/orders.yaml', sagas, endpoints: [], subscribes: [], calls: [], publishes: [] } as unknown as MeshModel['services'][number];
  const users = { name: 'users', file: 'services/users.yaml', endpoints: [], subscribes: [], calls: [], publishes: [] } as unknown as MeshModel['services'][number];
  return { name: 'shop', meshFile: 'mesh.yaml', services: [orders, users], events: [], gateway: null } as unknown as MeshModel;
}

describe('saga diagram', () => {
  it('draws the steps in order, compensations in reverse on failure, and the final states', () => {
    expect(sagaDiagram(fulfil)).toBe(
      [
        'flowchart TD',
        '  start(["fulfilOrder"])',
        '  step1["1. validateUser: users.getUser"]',
        '  step2["2. reserveInventory: inventory.reserve"]',
        '  step3["3. chargePayment: payments.charge"]',
        '  step4["4. createOrder: orders.createOrder"]',
        '  step5["5. notifyUser: users.notify"]',
        '  undo2["undo reserveInventory: inventory.releaseReservation"]',
        '  undo3["undo chargePayment: payments.refund"]',
        '  undo4["undo createOrder: orders.cancelOrder"]',
        '  completed(["completed"])',
        '  compensated(["compensated"])',
        '  start --> step1',
        '  step1 -->|ok| step2',
        '  step1 -.->|fails| compensated',
        '  step2 -->|ok| step3',
        '  step2 -.->|fails| compensated',
        '  step2 -.->|unknown| undo2',
        '  step3 -->|ok| step4',
        '  step3 -.->|fails| undo2',
        '  step3 -.->|unknown| undo3',
        '  step4 -->|ok| step5',
        '  step4 -.->|fails| undo3',
        '  step4 -.->|unknown| undo4',
        '  step5 -->|ok| completed',
        '  step5 -.->|fails| undo4',
        '  undo2 -.-> compensated',
        '  undo3 -.-> undo2',
        '  undo4 -.-> undo3',
        '',
      ].join('\n'),
    );
  });

  it('quotes labels, writing what Mermaid or HTML would read as syntax as entity codes, on one line', () => {
    expect(mermaidLabel('a"]; click step1 "https://evil" %%\n<img src=x onerror=alert(1)> #quot; `md`')).toBe(
      '"a#quot;]; click step1 #quot;https://evil#quot; #37;#37; #lt;img src=x onerror=alert(1)#gt; #35;quot; #96;md#96;"',
    );
  });
});

describe('generated/docs/sagas.md', () => {
  it('is emitted only when the mesh has sagas', () => {
    expect(emitDocs(mesh([]), { layout: defaultLayout }).map((f) => f.path)).toEqual(['docs/topology.md']);
    const [file, ...rest] = emitDocs(mesh([fulfil]), { layout: defaultLayout });
    expect(rest.map((f) => f.path)).toEqual(['docs/topology.md']);
    expect(file?.path).toBe('docs/sagas.md');
    expect(file?.sources).toEqual(['mesh.yaml', 'services/orders.yaml']);
  });

  it('has a section per saga with its description, steps table and diagram', () => {
    const doc = sagasDoc(mesh([fulfil])) ?? '';
    expect(doc).toContain('## fulfilOrder\n\nFulfils an order end to end.\n\nRuns in `orders`; input `FulfilOrder`, no output.');
    expect(doc).toContain('| 3 | chargePayment | `payments.charge` | `payments.refund` | 2000 ms |\n');
    expect(doc).toContain('| 1 | validateUser | `users.getUser` | none | the call\'s policy |\n');
    expect(doc).toContain(`\`\`\`mermaid\n${sagaDiagram(fulfil)}\`\`\`\n`);
  });

  it('keeps a hostile description from closing the diagram fence, adding HTML, headings or table rows', () => {
    const description = '```\n</div><script>alert(1)</script>\n# Owned\n| x | y |\n    indented code\n```mermaid';
    const doc = sagasDoc(mesh([{ ...fulfil, description }])) ?? '';
    expect(doc).toContain(
      '\\`\\`\\`\n&lt;/div&gt;&lt;script&gt;alert\\(1\\)&lt;/script&gt;\n\\# Owned\n\\| x \\| y \\|\nindented code\n\\`\\`\\`mermaid\n',
    );
    // The only fences and headings are the document's own.
    expect(doc.match(/^```.*$/gm)).toEqual(['```mermaid', '```']);
    expect(doc.match(/^#+ .*$/gm)).toEqual(['# Sagas of the shop mesh', '## fulfilOrder']);
    expect(doc).not.toMatch(/<script/);
  });

  it('escapes every Markdown character a line may start or carry markup with', () => {
    expect(markdownText('*a* _b_ [c](d) ~e~ + - ! = \\ {f}')).toBe('\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\~e\\~ \\+ \\- \\! \\= \\\\ \\{f\\}');
  });
});

describe('generated/docs/sagas.md: the saga in its service', () => {
  it('lists the endpoints that start it or answer its status, and who subscribes to its events', async () => {
    const { model } = await compileSpec('test/fixtures/sagas/spec', repoRoot);
    const doc = (model && sagasDoc(model)) ?? '';
    expect(doc).toContain(
      '- Started by `POST /orders/placements` (`placeOrder`), which waits up to 8000 ms.\n' +
        '- Status: `GET /orders/placements/{id}` (`getPlacement`).\n' +
        '- Subscribers: `users.welcomeBuyer` (`placeOrder.completed`).\n',
    );
  });
});

describe('generated/docs/sagas.md: a choreographed saga', () => {
  it('tables its steps and draws the sequence of its events, failures triggering the compensations', async () => {
    const { model } = await compileSpec('test/fixtures/choreography/spec', repoRoot);
    const doc = (model && sagasDoc(model)) ?? '';
    expect(doc).toContain('Choreographed, owned by `orders` (its log); id: `orderId` of every event. Starts with `order.created`, completes with `order.confirmed`.');
    expect(doc).toContain('| 1 | charge | `payments.chargeOrder` | `order.created` | `payment.completed` | `payment.failed` | `refundCharge` |\n');
    expect(doc).toContain('- Status: `GET /orders/fulfilments/{id}` (`getFulfilment`).\n');
    expect(doc).toContain(
      [
        '```mermaid',
        'sequenceDiagram',
        '  participant p1 as orders',
        '  participant p2 as payments',
        '  participant p3 as inventory',
        '  Note over p1: fulfilOrder starts: order.created',
        '  p1->>p2: order.created (charge: chargeOrder)',
        '  opt charge fails',
        '    Note over p2: payment.failed fails the saga',
        '  end',
        '  p2->>p3: payment.completed (reserve: reserveStock)',
        '  opt reserve fails',
        '    p3-->>p2: stock.failed (compensate charge: refundCharge)',
        '    Note over p3: stock.failed fails the saga',
        '  end',
        '  p3->>p1: stock.reserved (confirm: confirmOrder)',
        '  opt confirm fails',
        '    p1-->>p3: order.rejected (compensate reserve: releaseStock)',
        '    p1-->>p2: order.rejected (compensate charge: refundCharge)',
        '    Note over p1: order.rejected fails the saga',
        '  end',
        '  p1->>p1: order.confirmed',
        '  Note over p1: fulfilOrder.completed',
        '```',
      ].join('\n'),
    );
  });
});
