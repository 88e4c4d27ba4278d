// `npm run bench:redis-modes`: what the choices of docs/scaling.md ("Cluster and Sentinel") rest
// on, measured on loopback with the test suite's own deployments (test/support/redis-deployments.ts):
//  1. invalidations on a cluster of 3 masters and 3 replicas, classic PUBLISH (what the gateway
//     sends) against sharded SPUBLISH: delivery latency to every subscriber, and cluster-bus
//     messages per announcement;
//  2. what killing a master loses of acknowledged single-use ids (SET NX, as src/redis/spent-ids.ts
//     sends it), without and with WAIT 1, on the cluster and with Sentinel, and what WAIT costs.
//     The replica is frozen and made to fall 32 MB behind before the master is killed, so that the
//     master holds acknowledged writes its replica lacks (on loopback a healthy one never is).
// Bounded: fixed counts; every server it starts is stopped, also on an error.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import { type RedisDeployment, startDeployment } from '../test/support/redis-deployments.js';

const SUBSCRIBERS = 4;
const ANNOUNCEMENTS = 2_000;
const WRITERS = 32;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** Cluster-bus messages of `type` (publish, publishshard) sent by all nodes so far. */
async function busMessages(ports: number[], type: string): Promise<number> {
  let total = 0;
  for (const port of ports) {
    const redis = new Redis({ host: '127.0.0.1', port });
    const info = String(await redis.cluster('INFO'));
    redis.disconnect();
    total += Number(new RegExp(`cluster_stats_messages_${type}_sent:(\\d+)`).exec(info)?.[1] ?? 0);
  }
  return total;
}

async function pubsub(cluster: RedisDeployment, sharded: boolean): Promise<string> {
  const seed = [{ host: '127.0.0.1', port: Number(new URL(cluster.env.REDIS_URL!.split(',')[0]!).port) }];
  const channel = sharded ? 'bench:{invalidations}' : 'bench:invalidations';
  const publisher = new Cluster(seed).on('error', () => {});
  const subscribers = Array.from({ length: SUBSCRIBERS }, () => new Cluster(seed, { shardedSubscribers: sharded }));
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  await Promise.all(
    subscribers.map(async (subscriber) => {
      subscriber.on(sharded ? 'smessage' : 'message', (_: string, id: string) => latencies.push(performance.now() - sent.get(id)!));
      if (sharded) await subscriber.ssubscribe(channel);
      else await subscriber.subscribe(channel);
    }),
  );
  await sleep(200);
  const ports = await nodePorts(cluster);
  const type = sharded ? 'publishshard' : 'publish';
  const before = await busMessages(ports, type);
  const started = performance.now();
  for (let i = 0; i < ANNOUNCEMENTS; i++) {
    const id = randomUUID();
    sent.set(id, performance.now());
    await (sharded ? publisher.spublish(channel, id) : publisher.publish(channel, id));
  }
  await sleep(300);
  const seconds = (performance.now() - started) / 1000;
  const bus = ((await busMessages(ports, type)) - before) / ANNOUNCEMENTS;
  for (const client of [publisher, ...subscribers]) client.disconnect();
  return (
    `| ${sharded ? 'SPUBLISH (sharded)' : 'PUBLISH (classic)'} | ${latencies.length}/${ANNOUNCEMENTS * SUBSCRIBERS} | ` +
    `${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${bus.toFixed(1)} | ${Math.round(ANNOUNCEMENTS / seconds)} |`
  );
}

async function nodePorts(cluster: RedisDeployment): Promise<number[]> {
  const admin = cluster.admin() as Cluster;
  await admin.ping();
  const ports = admin.nodes('all').map((node) => node.options.port!);
  admin.disconnect();
  return ports;
}

/**
 * `WRITERS` loops spend fresh ids (SET NX PX, then WAIT 1 when `wait`) until the master of their
 * key dies; answers how many acknowledged spends the promoted replica does not hold, and the
 * spends' latency while the replica kept up.
 */
async function spendsLost(mode: 'cluster' | 'sentinel', wait: boolean): Promise<string> {
  const deployment = await startDeployment(mode);
  try {
    const client = deployment.admin().on('error', () => {});
    await client.ping();
    const key = (id: string) => `bench:spent:{one-slot}:${id}`;
    const acknowledged: string[] = [];
    const latencies: number[] = [];
    let unconfirmed = 0;
    let running = true;
    let behindFrom = Number.POSITIVE_INFINITY;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (running) {
        const id = randomUUID();
        const started = performance.now();
        try {
          const pipeline = client.pipeline().set(key(id), '1', 'PX', 600_000, 'NX');
          if (wait) pipeline.wait(1, 100);
          const answers = (await pipeline.exec()) ?? [];
          if (answers.some(([error]) => error !== null)) continue;
          if (wait && Number(answers[1]![1]) < 1) {
            unconfirmed++;
            continue;
          }
          acknowledged.push(id);
          if (started < behindFrom) latencies.push(performance.now() - started);
        } catch {
          await sleep(10);
        }
      }
    });
    await sleep(1_000);
    // The replica falls behind (frozen, and 32 MB of other writes of the master in between): what
    // the master acknowledges now only it has when it dies.
    const replica = await deployment.replica(key('x'));
    behindFrom = performance.now();
    replica.freeze();
    // On a connection of its own: the spends' WAITs hold theirs.
    const filling = deployment.admin().on('error', () => {});
    const filler = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 512; i++) await filling.set(key(`filler-${i}`), filler);
    filling.disconnect();
    await sleep(300);
    const failover = deployment.failover(key('x'));
    await sleep(20);
    replica.thaw();
    running = false;
    await Promise.all(writers);
    await failover;
    client.disconnect();
    const after = deployment.admin().on('error', () => {});
    let lost = 0;
    // Only the spends acknowledged while the replica was behind can be missing.
    for (let i = 0; i < acknowledged.length; i += 500) {
      const batch = acknowledged.slice(i, i + 500);
      const held = await after.exists(...batch.map(key));
      lost += batch.length - held;
    }
    after.disconnect();
    return (
      `| ${mode} | ${wait ? 'SET NX + WAIT 1' : 'SET NX'} | ${acknowledged.length} | ${lost} | ${unconfirmed} | ` +
      `${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} |`
    );
  } finally {
    await deployment.stop();
  }
}

const cluster = await startDeployment('cluster');
try {
  console.log(
    `Invalidations on a cluster of 3 masters + 3 replicas, ${SUBSCRIBERS} subscribers, ${ANNOUNCEMENTS} announcements one after another:\n`,
  );
  console.log('| command | delivered | latency p50 | latency p99 | cluster-bus messages per announcement | announcements/s |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(await pubsub(cluster, false));
  console.log(await pubsub(cluster, true));
} finally {
  await cluster.stop();
}
console.log(`\nAcknowledged single-use ids lost when the master is killed (${WRITERS} writers on one slot, SIGKILL, replica promoted):\n`);
console.log('| mode | command | acknowledged | lost after the failover | refused as unconfirmed | latency p50 | latency p99 |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const mode of ['cluster', 'sentinel'] as const) {
  for (const wait of [false, true]) console.log(await spendsLost(mode, wait));
}
