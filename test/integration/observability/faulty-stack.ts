// The small stack the observability layer tests run (the runtime's fixtures): users on the node
// binding, and front on the Express binding calling users and subscribing to `user.created`, each
// able to fail on demand: `failures.getUser` calls of users.getUser answer 503, `failures.welcome`
// deliveries of front's event hook throw.
import { Unavailable, type DevStack, type GatewayConfig } from '../../support/runtime.js';
import { frontDefinition, frontHost, usersHandlers, usersHost } from '../runtime/fixtures.js';

/** How many of the next calls (or deliveries) fail; each failure takes one off. */
export interface Failures {
  getUser: number;
  welcome: number;
}

/**
 * The stack and the counters that make its hooks fail.
 *
 * @param gateway - the stack's gateway; default none
 * @example
 * const { stack, failures } = faultyStack();
 * failures.getUser = 1; // the next getUser answers 503, the retry succeeds
 */
export function faultyStack(gateway: GatewayConfig | null = null): { stack: DevStack; failures: Failures } {
  const failures: Failures = { getUser: 0, welcome: 0 };
  const stack: DevStack = {
    mesh: 'test',
    services: [
      () =>
        usersHost({
          handlers: {
            ...usersHandlers,
            async getUser(input: { id: number }) {
              if (failures.getUser > 0) {
                failures.getUser--;
                throw new Unavailable('warming up');
              }
              return usersHandlers.getUser(input);
            },
          },
        }),
      () => ({
        ...frontHost(),
        definition: { ...frontDefinition, binding: 'express', subscriptions: [{ event: 'user.created', handler: 'welcome' }] },
        subscriptions: {
          async welcome() {
            if (failures.welcome > 0) {
              failures.welcome--;
              throw new Error('mailer down');
            }
          },
        },
      }),
    ],
    gateway,
    runtime: { bodyLimitBytes: 1024, shutdownGraceMs: 1000 },
  };
  return { stack, failures };
}
