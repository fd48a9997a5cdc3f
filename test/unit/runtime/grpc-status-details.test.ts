// grpc-status-details-bin as built for one error, decoded with the official google.rpc definitions.
import { describe, expect, it } from 'vitest';
import { MeshError, NotFound, ValidationFailed } from '../../../runtime/errors/index.js';
import { statusDetails } from '../../../runtime/grpc/status-details.js';
import { decodeStatus } from '../../support/google-rpc.js';

const context = { domain: 'acme.catalog.v1.CatalogService', fieldPath: (pointer: string) => `item${pointer.replaceAll('/', '.')}` };

describe('google.rpc.Status details', () => {
  it('hold an ErrorInfo whose metadata has the HTTP status and the details\' scalars with legal keys only', () => {
    const err = new MeshError('OutOfStock', 'only 2 left — sorry', 409, {
      left: 2,
      sku: 'p-1',
      exact: true,
      nested: { a: 1 },
      list: [1],
      none: null,
      'Bad Key': 'x',
      ['x'.repeat(65)]: 'too long',
      httpStatus: 'mine',
    });
    expect(decodeStatus(statusDetails(err, 9, context))).toEqual({
      code: 9,
      message: 'only 2 left — sorry',
      details: [
        {
          '@type': 'google.rpc.ErrorInfo',
          reason: 'OutOfStock',
          domain: 'acme.catalog.v1.CatalogService',
          metadata: { left: '2', sku: 'p-1', exact: 'true', httpStatus: '409' },
        },
      ],
    });
  });

  it('hold an ErrorInfo alone for errors without details or with details that are not an object', () => {
    for (const err of [new NotFound('no item x'), new MeshError('Odd', 'odd', 418, ['a', 'b']), new MeshError('Odd', 'odd', 418, 'text')]) {
      const decoded = decodeStatus(statusDetails(err, 5, context));
      expect(decoded.details).toEqual([{ '@type': 'google.rpc.ErrorInfo', reason: err.code, domain: context.domain, metadata: { httpStatus: String(err.status) } }]);
    }
  });

  it('hold a BadRequest for ValidationFailed, a missing property named as the field itself', () => {
    const err = new ValidationFailed('invalid input', [
      { path: '/count', message: 'must be integer' },
      { path: '/owner', message: "must have required property 'partyId'" },
      { path: '', message: "must have required property 'a/b'" },
    ]);
    const decoded = decodeStatus(statusDetails(err, 3, context));
    expect(decoded.details[1]).toEqual({
      '@type': 'google.rpc.BadRequest',
      fieldViolations: [
        { field: 'item.count', description: 'must be integer' },
        { field: 'item.owner.partyId', description: "must have required property 'partyId'" },
        { field: 'item.a~1b', description: "must have required property 'a/b'" },
      ],
    });
  });

  it('leave out a BadRequest when ValidationFailed details are not issues', () => {
    const odd = new MeshError('ValidationFailed', 'invalid', 400, [{ path: 1 }, 'x']);
    expect(decodeStatus(statusDetails(odd, 3, context)).details).toHaveLength(1);
  });

  it('stay small for a validation failure of 130,000 issues: 20 field violations and one counting the rest', () => {
    const issues = Array.from({ length: 20 }, (_, i) => ({ path: `/items/${i}`, message: "must have required property 'productId'" }));
    const err = new ValidationFailed("invalid input: 260000 issues; first: /items/0 must have required property 'productId'", issues, 260_000);
    const bytes = statusDetails(err, 3, context);
    expect(bytes.length).toBeLessThan(4096);
    const violations = (decodeStatus(bytes).details[1] as { fieldViolations: { field: string; description: string }[] }).fieldViolations;
    expect(violations).toHaveLength(21);
    expect(violations[20]).toEqual({ field: context.fieldPath(''), description: '259980 more issues not listed' });
  });
});
