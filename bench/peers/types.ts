/** The peers the benchmark compares, in the order it runs them. */
export const PEER_NAMES = ['gateway', 'gateway-redis-2', 'node-limit', 'rest-floor', 'naive', 'apollo', 'tailcall'] as const;
/** One of {@link PEER_NAMES}. */
export type PeerName = (typeof PEER_NAMES)[number];

/**
 * What one peer process runs (`peer-process.ts <kind>`). A peer is one process of its own kind,
 * except `gateway-redis-2`: two processes of kind `gateway-redis`, one replica each.
 */
export type PeerKind = Exclude<PeerName, 'gateway-redis-2'> | 'gateway-redis';

/** How a peer is set up for one benchmark mode. */
export interface PeerSettings {
  /** viewneo sandbox origin, e.g. http://127.0.0.1:40123. */
  readonly sandboxUrl: string;
  /** Cross-request cache lifetime for peers that have one; 0 turns it off. */
  readonly cacheTtlMs: number;
  /** The run's throwaway Redis and this mode's key prefix; only `gateway-redis` reads it. */
  readonly redis?: { readonly url: string; readonly keyPrefix: string };
  /** Further environment variables of the gateway peers' config (e.g. RESULT_CACHE_MAX_ENTRIES=0); the others ignore it. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts a peer's HTTP server on 127.0.0.1 (GraphQL answers at POST /graphql) and resolves with its port. */
export type StartPeer = (settings: PeerSettings) => Promise<number>;

/** The processes a peer's servers run in when they are not the peer process itself (Tailcall's binary). */
export interface ServerProcesses {
  /** Their CPU time (user, system) since they started, summed, µs. */
  cpu(): NodeJS.CpuUsage;
  /** Their resident set size now, summed, bytes. */
  rss(): number;
}

/** A peer's code: how to start one server, and what to release before its process exits. */
export interface PeerModule {
  readonly start: StartPeer;
  readonly stop?: () => Promise<void>;
  /**
   * Set when the servers are other programs, started by `start`: the peer process then reports
   * their CPU and RSS instead of its own, and no served count (it sees no node:http server).
   */
  readonly servers?: ServerProcesses;
}
