/**
 * A typed GraphQL request over plain fetch: the document's generated types give the variables
 * and the result, so a client needs no GraphQL library at run time besides `graphql` for printing.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** One GraphQL error as the gateway sends it; `extensions.code` is stable (see the README). */
export interface GatewayError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** The gateway answered with errors (or not with GraphQL at all). */
export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GatewayError[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') || `HTTP ${status}`);
    this.name = 'GatewayRequestError';
  }
}

/**
 * Sends `document` with `variables` to the gateway at `url`, with `token` as the bearer token
 * when given, and answers the typed `data`. Throws GatewayRequestError when any error comes back.
 */
export async function request<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  token?: string,
): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: Result | null; errors?: GatewayError[] };
  if (body.errors?.length || body.data == null) throw new GatewayRequestError(response.status, body.errors ?? []);
  return body.data;
}

/** A one-line reason for a failed request, with the network cause when fetch itself failed. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
