import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** Codes of the refusals Yoga and its plugins make without one, by their HTTP status. */
const BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  403: 'CSRF_HEADER_REQUIRED',
  405: 'BAD_REQUEST',
  406: 'NOT_ACCEPTABLE',
  413: 'REQUEST_ENTITY_TOO_LARGE',
};

/**
 * Gives every error a stable `extensions.code`: the refusals Yoga and its plugins make without
 * one (a body that is not JSON, no query, a missing CSRF header, …) get the code of their HTTP
 * status (BY_STATUS; BAD_REQUEST for another 4xx), and a request whose Content-Type no parser
 * takes is answered 415 with UNSUPPORTED_MEDIA_TYPE instead of an empty body.
 */
export function useErrorCodes(): Plugin {
  return {
    onRequestParse({ requestParser, request, endResponse, fetchAPI }) {
      if (requestParser !== undefined) return;
      const type = request.headers.get('content-type') ?? 'none';
      const body = {
        errors: [
          {
            message: `Expected a Content-Type of application/json, application/graphql, application/x-www-form-urlencoded or multipart/form-data, got ${type.slice(0, 100)}`,
            extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
          },
        ],
      };
      endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json' } }));
    },
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result) || Array.isArray(result) || !result.errors?.some((e) => e.extensions?.code === undefined)) return;
      setResult({ ...result, errors: result.errors.map(coded) });
    },
  };
}

function coded(error: GraphQLError): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  const status = (error.extensions?.http as { status?: number } | undefined)?.status ?? 500;
  const code = BY_STATUS[status] ?? (status >= 400 && status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR');
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...error.extensions, code },
  });
}
