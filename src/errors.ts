import { GraphQLError } from 'graphql';

/** The stable `extensions.code` values this gateway answers with. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'COST_LIMIT_EXCEEDED'
  | 'RESPONSE_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'OVERLOADED'
  | 'DEADLINE_EXCEEDED'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_ERROR'
  | 'NOT_CONFIGURED';

/**
 * A client-facing error: its message and extensions reach the caller unmasked, so they
 * must never carry a token, a secret or an upstream body.
 */
export function gatewayError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** The `extensions.code` of an error thrown by this gateway, if it has one. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof GraphQLError ? (error.extensions.code as string | undefined) : undefined;
}

const UPSTREAM_FAILURES = new Set(['UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'RATE_LIMITED']);

/** Whether the error is viewneo's failing (5xx, timeout, throttling), not the caller's. */
export function isUpstreamFailure(error: unknown): boolean {
  return UPSTREAM_FAILURES.has(errorCode(error) ?? '');
}
