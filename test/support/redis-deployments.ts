import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort, type RedisServer, startRedis, startSentinel } from './redis.js';

const run = promisify(execFile);

/** The ways the gateway reaches Redis (REDIS_MODE). */
export const MODES = ['single', 'cluster', 'sentinel'] as const;
export type Mode = (typeof MODES)[number];

/** The master set the test sentinels watch. */
const MASTER_SET = 'gateway';

/**
 * Redis as operators run it, started on loopback for one test file: one server (`single`), a
 * cluster of 3 masters and 3 replicas (`cluster`), or a master, its replica and 3 sentinels
 * (`sentinel`). Without persistence; its temporary directory is removed by `stop()`.
 */
export interface RedisDeployment {
  readonly mode: Mode;
  /** The gateway's variables to reach it: REDIS_MODE, REDIS_URL and (sentinel) REDIS_SENTINEL_NAME. */
  readonly env: Readonly<Record<string, string>>;
  /** The sentinels, in the order REDIS_URL names them (none outside `sentinel`). */
  readonly sentinels: readonly RedisServer[];
  /** A client of the data as a test reads it: a cluster client, or one of the current master. */
  admin(): Redis | Cluster;
  /** The keys matching `pattern` on every master. */
  keys(pattern: string): Promise<string[]>;
  /** Subscribers of `channel` over every data node (each counts the connections it holds). */
  subscribers(channel: string): Promise<number>;
  /** Connections whose name (CLIENT SETNAME) holds `name`, over every data node. */
  clients(name: string): Promise<number>;
  /** Forgets every key on every master (the replicas follow). */
  flush(): Promise<void>;
  /** Freezes (SIGSTOP) every data node: connections stay open, nothing is answered. */
  freeze(): void;
  thaw(): void;
  /** Kills (SIGKILL) every data node: Redis is down. */
  kill(): Promise<void>;
  /** Starts every data node again on its port and waits until the deployment serves again. */
  restart(): Promise<void>;
  /**
   * Kills the master that holds `key` (cluster: its slot; sentinel: the master) and waits until a
   * replica took over (answers its address). Not for `single`.
   */
  failover(key: string): Promise<string>;
  /** The port of the master that holds `key` now. */
  master(key: string): Promise<number>;
  /** The replica of that master. Not for `single`. */
  replica(key: string): Promise<RedisServer>;
  stop(): Promise<void>;
}

/** Starts the deployment of `mode` (see {@link RedisDeployment}). */
export function startDeployment(mode: Mode): Promise<RedisDeployment> {
  if (mode === 'cluster') return startCluster();
  if (mode === 'sentinel') return startSentinels();
  return startSingle();
}

/** Fails unless `check` passes within `ms`, trying every 50 ms. */
async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`Expected ${what} within ${ms} ms`);
}

/** All `starting` servers; when one fails to start, the others are stopped before the failure is thrown. */
async function all(starting: Promise<RedisServer>[]): Promise<RedisServer[]> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed === undefined) return settled.map((result) => (result as PromiseFulfilledResult<RedisServer>).value);
  await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw failed.reason;
}

/** Runs `use` with a short-lived connection to one node. */
async function onNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 500,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/** What every deployment answers the same way, over its data nodes (`ports`, `masters()`). */
function common(ports: () => number[], masters: () => Promise<number[]>, servers: () => RedisServer[]) {
  return {
    async keys(pattern: string) {
      return (await Promise.all((await masters()).map((port) => onNode(port, (r) => r.keys(pattern))))).flat();
    },
    async subscribers(channel: string) {
      const counts = ports().map((port) => onNode(port, async (r) => Number(((await r.pubsub('NUMSUB', channel)) as unknown[])[1])));
      return sum(await Promise.all(counts));
    },
    async clients(name: string) {
      const lists = await Promise.all(ports().map((port) => onNode(port, async (r) => String(await r.client('LIST')))));
      return sum(lists.map((list) => list.split('\n').filter((line) => new RegExp(`name=\\S*${name}`).test(line)).length));
    },
    async flush() {
      await Promise.all((await masters()).map((port) => onNode(port, (r) => r.flushall())));
    },
    freeze: () => {
      for (const server of servers()) server.freeze();
    },
    thaw: () => {
      for (const server of servers()) server.thaw();
    },
  };
}

async function startSingle(): Promise<RedisDeployment> {
  let server = await startRedis();
  return {
    mode: 'single',
    sentinels: [],
    env: { REDIS_URL: server.url },
    admin: () => new Redis(server.url, { maxRetriesPerRequest: 0 }),
    ...common(
      () => [server.port],
      async () => [server.port],
      () => [server],
    ),
    kill: () => server.kill(),
    async restart() {
      server = await startRedis(server.port);
    },
    failover: () => Promise.reject(new Error('One Redis has no replica to fail over to')),
    master: async () => server.port,
    replica: () => Promise.reject(new Error('One Redis has no replica')),
    stop: () => server.stop(),
  };
}

/** The role of each node of a cluster, from CLUSTER NODES as `port` sees it. */
async function clusterNodes(
  port: number,
): Promise<{ id: string; port: number; master: boolean; of: string; ok: boolean; slots: string[] }[]> {
  const text = String(await onNode(port, (r) => r.cluster('NODES')));
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, of, , , , , ...slots] = line.split(' ');
      return {
        id: id!,
        of: of!,
        port: Number(address!.split(':')[1]!.split('@')[0]),
        master: flags!.includes('master'),
        ok: !flags!.includes('fail'),
        slots,
      };
    });
}

/** Whether every node sees the whole cluster up, and every replica has synced with its master. */
async function clusterOk(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    const replication = String(await onNode(port, (r) => r.info('replication')));
    if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) return false;
    const info = String(await onNode(port, (r) => r.cluster('INFO')));
    if (!info.includes('cluster_state:ok') || !info.includes(`cluster_known_nodes:${ports.length}`)) return false;
    if ((await clusterNodes(port)).some((node) => !node.ok)) return false;
  }
  return true;
}

async function startCluster(): Promise<RedisDeployment> {
  const dir = await mkdtemp(join(tmpdir(), 'vg-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 6; i++) ports.push(await freePort());
  // A short node timeout: a dead master is replaced within about two seconds.
  const args = (port: number) => [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    '1000',
    '--dir',
    dir,
  ];
  let servers = await all(ports.map((port) => startRedis(port, args(port))));
  const byPort = () => new Map(servers.map((server) => [server.port, server]));
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  try {
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes']);
    await until('the cluster to be ready', () => clusterOk(ports));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const live = () => servers.filter((server) => server.alive()).map((server) => server.port);
  const masters = async () =>
    (await clusterNodes(live()[0]!)).filter((node) => node.master && node.ok && node.slots.length > 0).map((node) => node.port);
  return {
    mode: 'cluster',
    sentinels: [],
    env: {
      REDIS_MODE: 'cluster',
      REDIS_URL: addresses
        .slice(0, 2)
        .map((address) => `redis://${address}`)
        .join(','),
    },
    // Every node a seed: the one a test killed may be any.
    admin: () =>
      new Cluster(
        ports.map((port) => ({ host: '127.0.0.1', port })),
        { redisOptions: { maxRetriesPerRequest: 0 } },
      ),
    ...common(live, masters, () => servers),
    async kill() {
      await Promise.all(servers.map((server) => server.kill()));
    },
    async restart() {
      // Each node finds the cluster again in its nodes-<port>.conf.
      servers = await all(ports.map((port) => startRedis(port, args(port))));
      await until('the restarted cluster to be ready', () => clusterOk(ports));
    },
    async failover(key) {
      const owner = () => ownerOf(live()[0]!, key);
      const old = await owner();
      await byPort().get(old!)!.kill();
      await until('a replica to take over the slot', async () => {
        const now = await owner();
        return now !== undefined && now !== old;
      });
      return `127.0.0.1:${await owner()}`;
    },
    master: async (key) => (await ownerOf(live()[0]!, key))!,
    async replica(key) {
      const nodes = await clusterNodes(live()[0]!);
      const owner = await ownerOf(live()[0]!, key);
      const id = nodes.find((node) => node.port === owner)!.id;
      return byPort().get(nodes.find((node) => node.of === id)!.port)!;
    },
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The port of the master that serves `key`'s slot, as the node on `port` sees it; none while no node does. */
async function ownerOf(port: number, key: string): Promise<number | undefined> {
  const slot = Number(await onNode(port, (r) => r.cluster('KEYSLOT', key)));
  const nodes = await clusterNodes(port);
  return nodes.find((node) => node.master && node.ok && node.slots.some((range) => inRange(range, slot)))?.port;
}

/** Where a server keeps its files (a replica stores what it syncs): `dir`, by port. */
function files(dir: string, port: number): string[] {
  return ['--dir', dir, '--dbfilename', `dump-${port}.rdb`];
}

function inRange(range: string, slot: number): boolean {
  const [from, to] = range.split('-').map(Number);
  return from !== undefined && !Number.isNaN(from) && slot >= from && slot <= (to ?? from);
}

async function startSentinels(): Promise<RedisDeployment> {
  const dir = await mkdtemp(join(tmpdir(), 'vg-sentinel-'));
  const [masterPort, replicaPort] = [await freePort(), await freePort()];
  const dataNode = (port: number, master?: number) =>
    startRedis(port, [...files(dir, port), ...(master === undefined ? [] : ['--replicaof', '127.0.0.1', String(master)])]);
  let master = await dataNode(masterPort);
  let replica = await dataNode(replicaPort, masterPort);
  const replicaOf = async (server: RedisServer) => String(await onNode(server.port, (r) => r.info('replication')));
  await until('the replica to sync', async () => (await replicaOf(replica)).includes('master_link_status:up'));
  const sentinels: RedisServer[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const config = join(dir, `sentinel-${port}.conf`);
    await writeFile(
      config,
      [
        `dir ${dir}`,
        `sentinel monitor ${MASTER_SET} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${MASTER_SET} 1000`,
        `sentinel failover-timeout ${MASTER_SET} 5000`,
        '',
      ].join('\n'),
    );
    sentinels.push(await startSentinel(port, config));
  }
  // Asked of the last sentinel: a test may freeze the first, the one the gateway asks first.
  const current = async () =>
    Number(((await onNode(sentinels.at(-1)!.port, (r) => r.call('SENTINEL', 'get-master-addr-by-name', MASTER_SET))) as string[])[1]);
  // A failover needs each sentinel to know the replica and the other sentinels.
  await until('the sentinels to know the replica and each other', async () => {
    for (const sentinel of sentinels) {
      const known = await onNode(sentinel.port, async (r) => [
        ((await r.call('SENTINEL', 'replicas', MASTER_SET)) as unknown[]).length,
        ((await r.call('SENTINEL', 'sentinels', MASTER_SET)) as unknown[]).length,
      ]);
      if (known[0] !== 1 || known[1] !== 2) return false;
    }
    return true;
  });
  const data = () => [master, replica];
  return {
    mode: 'sentinel',
    sentinels,
    env: {
      REDIS_MODE: 'sentinel',
      REDIS_URL: sentinels.map((sentinel) => `redis://127.0.0.1:${sentinel.port}`).join(','),
      REDIS_SENTINEL_NAME: MASTER_SET,
    },
    admin: () =>
      new Redis({ sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })), name: MASTER_SET, maxRetriesPerRequest: 0 }),
    ...common(
      () =>
        data()
          .filter((server) => server.alive())
          .map((server) => server.port),
      async () => [await current()],
      data,
    ),
    async kill() {
      await Promise.all(data().map((server) => server.kill()));
    },
    async restart() {
      const port = await current();
      const other = [master, replica].find((server) => server.port !== port)!.port;
      master = await dataNode(port);
      replica = await dataNode(other, port);
      await until('the replica to sync again', async () => (await replicaOf(replica)).includes('master_link_status:up'));
    },
    async failover() {
      const old = await current();
      const dead = [master, replica].find((server) => server.port === old)!;
      const promoted = [master, replica].find((server) => server.port !== old)!;
      await dead.kill();
      await until('the sentinels to promote the replica', async () => (await current()) === promoted.port);
      [master, replica] = [promoted, dead];
      return `127.0.0.1:${promoted.port}`;
    },
    master: () => current(),
    async replica() {
      const port = await current();
      return [master, replica].find((server) => server.port !== port)!;
    },
    async stop() {
      await Promise.all([...sentinels, master, replica].map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
