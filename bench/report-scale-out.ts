import type { Row } from './measure.js';
import type { Sharing } from './sharing.js';

/** The latest.md section comparing gateway-redis-2 (two replicas, one Redis) with the gateway, row by row. */
export function scaleOutMarkdown(rows: readonly Row[], sharing: readonly Sharing[]): string[] {
  const pairs = rows.flatMap((redis) => {
    if (redis.peer !== 'gateway-redis-2') return [];
    const single = rows.find(
      (r) => r.peer === 'gateway' && r.mode === redis.mode && r.latencyMs === redis.latencyMs && r.query === redis.query,
    );
    return single ? [{ single, redis }] : [];
  });
  if (pairs.length === 0 && sharing.length === 0) return [];
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);
  return [
    '## Scale-out: gateway-redis-2 (two replicas sharing one Redis) vs gateway (one process, no Redis)',
    '',
    'Replica 1 on the peers’ CPU, replica 2 on the helpers’ CPU (with the sandbox, autocannon and redis-server). The load is split',
    'evenly (one autocannon per replica, half the connections and requests each); rps is all answers ÷ time to the last one.',
    'CPU ms/req of gateway-redis-2 counts both replicas and redis-server.',
    '',
    '| mode | latency ms | query | gateway rps | gateway-redis-2 rps | ratio | per replica rps | gateway calls/query | gateway-redis-2 calls/query | gateway CPU ms/req | gateway-redis-2 CPU ms/req | gateway-redis-2 errors | correct |',
    '| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...pairs.map(
      ({ single, redis }) =>
        `| ${redis.mode} | ${redis.latencyMs} | ${redis.query} | ${single.rps} | ${redis.rps} | ${ratio(redis.rps, single.rps)} | ${(redis.replicaRps ?? []).join(' + ')} | ${single.upstreamCallsPerQuery} | ${redis.upstreamCallsPerQuery} | ${single.cpuMsPerRequest} | ${redis.cpuMsPerRequest} | ${redis.errors} | ${redis.correct} |`,
    ),
    '',
    '### Sharing: one Q3 to replica 1, then the same to replica 2 (warm mode, a token neither had seen)',
    '',
    '| peer | replica 1 upstream calls | replica 2 upstream calls | replica 2 reads from Redis | correct |',
    '| --- | ---: | ---: | ---: | --- |',
    ...sharing.map((s) => `| ${s.peer} | ${s.firstReplicaCalls} | ${s.secondReplicaCalls} | ${s.secondReplicaSharedHits} | ${s.correct} |`),
    '',
  ];
}
