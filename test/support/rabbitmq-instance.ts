// A private RabbitMQ node for tests that stop and restart their broker: its own node name, free ports,
// data, logs and config in a temporary folder, the management plugin off. Started from the machine's
// RabbitMQ binaries, stopped by `rabbitmqctl -n <node> stop` (or by its pid); never the shared broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from './processes.js';

/** The scripts themselves: the /usr/sbin wrappers switch to the rabbitmq user and drop this environment. */
const BIN = ['/usr/lib/rabbitmq/bin', '/usr/local/lib/rabbitmq/bin'].find((dir) => existsSync(path.join(dir, 'rabbitmq-server')));
const binary = (name: string) => (BIN ? path.join(BIN, name) : name);

export interface RabbitInstance {
  /** AMQP URL of the node (guest/guest on 127.0.0.1). */
  readonly url: string;
  readonly nodename: string;
  /** Starts the node (again, with the same data) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the node gracefully; durable queues and persistent messages stay on disk. */
  stop(): Promise<void>;
  /** Stops the node (by pid if it will not stop) and deletes its folder. */
  destroy(): Promise<void>;
}

/**
 * Creates and starts a private RabbitMQ node.
 * @example
 * const rabbit = await startRabbitInstance();
 * const bus = await connectRabbitBus({ url: rabbit.url });
 * await rabbit.stop(); await rabbit.start(); // a broker restart
 * await rabbit.destroy();
 */
export async function startRabbitInstance(): Promise<RabbitInstance> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshspec-rabbit-'));
  const [port, distPort] = (await freePorts(2)) as [number, number];
  const nodename = `meshspec-test-${randomBytes(4).toString('hex')}@localhost`;
  const config = path.join(dir, 'rabbitmq.conf');
  await writeFile(config, `listeners.tcp.default = 127.0.0.1:${port}\n`);
  await writeFile(path.join(dir, 'enabled_plugins'), '[].\n');
  // An empty env file: the system's (/etc/rabbitmq/rabbitmq-env.conf) would set the shared node's name.
  await writeFile(path.join(dir, 'rabbitmq-env.conf'), '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The Erlang cookie is created here, so this node and its rabbitmqctl share one, apart from the system's.
    HOME: dir,
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_NODENAME: nodename,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
  let server: ChildProcess | null = null;
  let output = '';

  const ctl = (...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(binary('rabbitmqctl'), ['-n', nodename, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`rabbitmqctl ${args.join(' ')} exited ${code}:\n${text}\nserver output:\n${output}`))));
    });

  const instance: RabbitInstance = {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    nodename,
    async start() {
      const child = spawn(binary('rabbitmq-server'), [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      server = child;
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // `wait` returns once the pid file exists and the node runs its applications.
      await ctl('wait', env.RABBITMQ_PID_FILE!, '--timeout', '60');
    },
    async stop() {
      const child = server;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ctl('stop');
      await exited;
      server = null;
    },
    async destroy() {
      await instance.stop().catch(async () => {
        // Stopping failed (the node hangs): end it by its process id.
        const child = server;
        if (child && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGKILL');
          await exited;
        }
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
