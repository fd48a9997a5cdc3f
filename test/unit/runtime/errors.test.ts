// The errors the runtime answers with on its own have classes whose codes and statuses come from
// one table (common/errors.ts runtimeErrorStatus), which the generator also reads.
import { describe, expect, it } from 'vitest';
import { runtimeErrorStatus } from '../../../common/errors.js';
import * as runtime from '../../support/runtime.js';

const construct: Record<keyof typeof runtimeErrorStatus, () => runtime.MeshError> = {
  ValidationFailed: () => new runtime.ValidationFailed('invalid input: /a must be integer', [{ path: '/a', message: 'must be integer' }]),
  BadGateway: () => new runtime.BadGateway('users answered with something that is not HTTP'),
  MethodNotAllowed: () => new runtime.MethodNotAllowed('POST is not allowed here; use GET'),
  PayloadTooLarge: () => new runtime.PayloadTooLarge('request body is larger than the limit of 10 bytes'),
  UnsupportedMediaType: () => new runtime.UnsupportedMediaType('expected a JSON body'),
  Internal: () => new runtime.InternalError(),
  NotImplemented: () => new runtime.NotImplemented('users.getUser'),
  Timeout: () => new runtime.Timeout(),
};

describe('runtime errors', () => {
  it('has a class for every code of the table, with the table\'s status', () => {
    expect(Object.keys(construct).sort()).toEqual(Object.keys(runtimeErrorStatus).sort());
    for (const [code, make] of Object.entries(construct)) {
      const error = make();
      expect(error, code).toBeInstanceOf(runtime.MeshError);
      expect([error.code, error.status], code).toEqual([code, runtimeErrorStatus[code as keyof typeof runtimeErrorStatus]]);
    }
  });

  it('keeps the message given, and answers with it in the body', () => {
    expect(new runtime.MethodNotAllowed('POST is not allowed here; use GET').toBody('r1')).toEqual({
      error: { code: 'MethodNotAllowed', message: 'POST is not allowed here; use GET', requestId: 'r1' },
    });
  });
});
