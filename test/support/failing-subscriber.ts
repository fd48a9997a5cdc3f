// The example stack with one event hook that fails on demand: what the dead-letter tests (the events
// source, the dashboard's API, the page in a browser) need to make an event run out of attempts.
import type { DevStack } from '../../runtime/dev/index.js';
import type { ServiceHostOptions } from '../../runtime/host/types.js';

type EventHook = (event: unknown, ctx: unknown) => Promise<unknown>;

/**
 * `stack` with `service`'s hook `handler` throwing `message` while `flag.on` is true (else the real
 * hook runs); every other host as it was made.
 *
 * @param stack - the stack (generated/stack.ts)
 * @param target - the service and its subscription hook to wrap
 * @param flag - turns the failure on and off
 * @param message - the error's message (hostile text welcome)
 * @example
 * const failing = { on: false };
 * const withFlag = withFailingSubscriber(stack, { service: 'orders', handler: 'confirmOrder' }, failing);
 * running = await startStack(withFlag, options);
 */
export function withFailingSubscriber(
  stack: DevStack,
  target: { readonly service: string; readonly handler: string },
  flag: { readonly on: boolean },
  message = `${target.service} cannot ${target.handler} right now (test)`,
): DevStack {
  const hosts: ServiceHostOptions[] = stack.services.map((make) => make());
  const host = hosts.find((h) => h.definition.name === target.service);
  const hooks = host?.subscriptions as Record<string, EventHook> | undefined;
  const real = hooks?.[target.handler];
  if (!host || !hooks || !real) throw new Error(`the stack has no event hook ${target.service}.${target.handler}`);
  const subscriptions = {
    ...hooks,
    [target.handler]: async (event: unknown, ctx: unknown) => {
      if (flag.on) throw new Error(message);
      return real.call(hooks, event, ctx);
    },
  };
  const wrapped = hosts.map((h) => (h === host ? { ...h, subscriptions } : h));
  return { ...stack, services: wrapped.map((h) => () => h) };
}
