import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { restFloorAnswer } from './rest-floor.js';
import type { StartPeer } from './types.js';

/**
 * The machine's limit for a cached answer: a bare `node:http` server that sends the bytes of the
 * answer to the same request (Authorization header and body) again. The first time it makes the
 * answer as the rest-floor does (the same JSON as the gateway's); from then on it only reads the
 * body and writes the stored bytes: no GraphQL, no cache checks, no headers beyond the two it needs.
 */
export const startNodeLimit: StartPeer = async ({ sandboxUrl }) => {
  const api = `${sandboxUrl}/api/v1.0`;
  const answers = new Map<string, Promise<{ status: number; bytes: Buffer }>>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const key = `${req.headers.authorization}\n${body}`;
      let answer = answers.get(key);
      if (answer === undefined) {
        answer = restFloorAnswer(api, req.headers.authorization, body).then(({ status, body: json }) => ({
          status,
          bytes: Buffer.from(JSON.stringify(json)),
        }));
        answers.set(key, answer);
      }
      void answer.then(({ status, bytes }) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
