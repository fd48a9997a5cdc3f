// The context factory of a service a test drives only through events: it publishes on the given bus
// and calls nobody (a call would be a test bug, so it throws).
import { createContextFactory, createPublisher, type PublisherOptions } from './runtime.js';

/**
 * A context factory whose publisher writes to `options.bus` and whose transports refuse every call.
 *
 * @param options - the service's definition, the event catalog, the validators and the bus
 * @example
 * const contextFor = eventsOnlyContext({ definition: mail, events, validators, bus });
 */
export function eventsOnlyContext(options: PublisherOptions): ReturnType<typeof createContextFactory> {
  return createContextFactory({
    definition: options.definition,
    createClients: () => ({}),
    transportFor: () => {
      throw new Error('no transports here');
    },
    publisher: createPublisher(options),
  });
}
