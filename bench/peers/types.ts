/** The peers the benchmark compares, in the order it runs them. */
export const PEER_NAMES = ['gateway', 'rest-floor', 'naive', 'apollo'] as const;
/** One of {@link PEER_NAMES}. */
export type PeerName = (typeof PEER_NAMES)[number];

/** How a peer is set up for one benchmark mode. */
export interface PeerSettings {
  /** viewneo sandbox origin, e.g. http://127.0.0.1:40123. */
  readonly sandboxUrl: string;
  /** Cross-request cache lifetime for peers that have one; 0 turns it off. */
  readonly cacheTtlMs: number;
}

/** Starts a peer's HTTP server on 127.0.0.1 (GraphQL answers at POST /graphql) and resolves with its port. */
export type StartPeer = (settings: PeerSettings) => Promise<number>;
