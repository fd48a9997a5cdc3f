// The dev stack's databases, kept open across the restarts of their services. Opening PGlite
// (loading its WASM build and the data folder) takes most of a second, often more: `meshspec dev
// --watch` restarts a service on every save, so the stack opens each database once, hands the
// service a handle whose close() does nothing, and closes it itself when the service stops for good,
// when the service's storage settings change, or when the stack stops. Committed data is in the
// folder either way; what is spared is the reopening.
import type { ServiceHostOptions } from '../host/types.js';
import type { Database } from '../storage/index.js';

/**
 * The open databases of a stack's services.
 *
 * @example
 * const kept = keptDatabases();
 * const db = await kept.open(host, () => databaseFor(host)); // a handle the service may close freely
 * await kept.close('orders'); // the real close, once the service has stopped
 */
export interface KeptDatabases {
  /**
   * The service's database: the one already open when its storage settings are the same, else
   * (after closing the other) a new one from `open`. Undefined for a service without storage.
   */
  open(host: ServiceHostOptions, open: () => Promise<Database | undefined>): Promise<Database | undefined>;
  /** Closes the service's database (after the service stopped). */
  close(service: string): Promise<void>;
  /** Closes every database. */
  closeAll(): Promise<void>;
}

/**
 * An empty set of kept databases.
 *
 * @example
 * const kept = keptDatabases();
 */
export function keptDatabases(): KeptDatabases {
  const open = new Map<string, { settings: string; database: Database }>();
  const close = async (service: string) => {
    const entry = open.get(service);
    open.delete(service);
    await entry?.database.close();
  };
  return {
    async open(host, opener) {
      const name = host.definition.name;
      const settings = JSON.stringify(host.storage ?? null);
      const entry = open.get(name);
      if (entry && entry.settings === settings) return closeless(entry.database);
      await close(name);
      const database = await opener();
      if (!database) return undefined;
      open.set(name, { settings, database });
      return closeless(database);
    },
    close,
    async closeAll() {
      await Promise.all([...open.keys()].map(close));
    },
  };
}

/** The database, whose close() is left to the stack. */
function closeless(database: Database): Database {
  return new Proxy(database, {
    get(target, property) {
      if (property === 'close') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
