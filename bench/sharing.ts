import { isCorrect, type Peer, post, type Rig, sandboxAdmin, settled } from './measure.js';
import type { PeerName } from './peers/types.js';
import type { BenchQuery } from './queries.js';

/** The sharing check of a peer with two replicas: the second replica's first query, after the first replica's. */
export interface Sharing {
  peer: PeerName;
  /** Upstream calls of one query to replica 1 (fresh for this token): the minimum. */
  firstReplicaCalls: number;
  /** Upstream calls of the same query sent next to replica 2: 0 when it read replica 1's entries from Redis. */
  secondReplicaCalls: number;
  /** Reads replica 2 answered from Redis (its `gateway_cache_events_total{event="shared_hit"}` during the check). */
  secondReplicaSharedHits: number;
  /** Both answers deep-equal the reference. */
  correct: boolean;
}

/** A counter of a replica's `/metrics` (Prometheus text), summed over the series whose labels include `labels`. */
export async function counter(graphqlUrl: string, name: string, labels = ''): Promise<number> {
  return Object.values(await series(graphqlUrl, name, labels)).reduce((total, n) => total + n, 0);
}

/** The series of a counter of a replica's `/metrics` whose labels include `labels`, by their labels (`{...}`). */
export async function series(graphqlUrl: string, name: string, labels = ''): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name && (match[2] ?? '').includes(labels)) out[match[2] ?? ''] = Number(match[3]);
  }
  return out;
}

/**
 * Sends `query` with `token` (one none of the peer's servers has seen) to replica 1 and, once that
 * settled, to replica 2, counting the sandbox's calls of each and replica 2's reads from Redis.
 */
export async function sharing(rig: Rig, peer: Peer, query: BenchQuery, token: string, expected: unknown): Promise<Sharing> {
  const [first, second] = peer.replicas;
  if (first === undefined || second === undefined) throw new Error(`${peer.name} has no second replica`);
  const calls = async (url: string) => {
    const before = await sandboxAdmin.count(rig.sandboxUrl);
    const answer = await post(url, query, token);
    const { upstream } = await settled(rig, peer);
    return { calls: upstream - before, correct: isCorrect(answer, expected) };
  };
  const one = await calls(first.url);
  const hitsBefore = await counter(second.url, 'gateway_cache_events_total', 'event="shared_hit"');
  const two = await calls(second.url);
  return {
    peer: peer.name,
    firstReplicaCalls: one.calls,
    secondReplicaCalls: two.calls,
    secondReplicaSharedHits: (await counter(second.url, 'gateway_cache_events_total', 'event="shared_hit"')) - hitsBefore,
    correct: one.correct && two.correct,
  };
}
