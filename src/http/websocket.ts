import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Gateway } from '../gateway.js';

type OperationResult = ReturnType<NonNullable<ServerOptions['execute']>>;

/** The execute/subscribe of one operation (Yoga's, with its plugins), which graphql-ws calls back with. */
interface Engine {
  readonly execute: (args: ExecutionArgs) => OperationResult;
  readonly subscribe: (args: ExecutionArgs) => OperationResult;
}

/**
 * Serves GraphQL over WebSocket (the graphql-ws protocol) on the gateway's `/graphql`, beside
 * HTTP: every operation runs through the same Yoga plugins (limits, masking) and context as over
 * HTTP. The token comes from the connection's init payload (`{ "Authorization": "Bearer …" }`) or
 * else the upgrade request's `Authorization` header. Answers the function that closes every
 * socket (at shutdown, before the HTTP server stops).
 */
export function serveWebSockets(server: Server, gateway: Gateway): () => Promise<void> {
  const sockets = new WebSocketServer({ server, path: gateway.graphqlEndpoint });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as Engine).execute(args),
      subscribe: (args) => (args.rootValue as Engine).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const init = ctx.connectionParams ?? {};
        const given = init.Authorization ?? init.authorization ?? ctx.extra.request.headers.authorization;
        const headers = typeof given === 'string' ? { authorization: given } : undefined;
        const request = new Request(`http://gateway${gateway.graphqlEndpoint}`, headers ? { headers } : {});
        const { schema, execute, subscribe, contextFactory, parse, validate } = gateway.getEnveloped({ request });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies Engine,
        };
      },
    },
    sockets,
  );
  return async () => {
    // 1001 Going Away: the client may reconnect, to another replica.
    for (const socket of sockets.clients) socket.close(1001, 'The gateway is shutting down');
    await disposable.dispose();
  };
}
