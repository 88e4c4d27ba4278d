import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { extname, resolve, sep } from 'node:path';

/** Where the example web app is served. */
export const APP_PATH = '/app/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * A listener that serves the built example web app (`dir`, made by `vite build -c
 * examples/web/vite.config.ts`) under {@link APP_PATH}, on the same origin as the gateway, and
 * hands every other request to `next`. `/app` redirects to `/app/`; a path that is not a file of
 * `dir` is a 404 (never a file outside it).
 */
export function serveApp(dir: string, next: RequestListener): RequestListener {
  const root = resolve(dir);
  return (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://app').pathname;
    if (pathname === APP_PATH.slice(0, -1)) {
      res.writeHead(308, { location: APP_PATH }).end();
      return;
    }
    if (!pathname.startsWith(APP_PATH)) return next(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const rest = decoded(pathname.slice(APP_PATH.length));
    const relative = rest === '' ? 'index.html' : rest;
    const file = resolve(root, relative ?? '');
    const type = TYPES[extname(file)];
    if (relative === null || !file.startsWith(root + sep) || type === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    readFile(file).then(
      (body) => {
        // Vite names its assets by content; the page itself must be read again to see a new build.
        const cache = relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
        res.writeHead(200, {
          'content-type': type,
          'content-length': body.length,
          'cache-control': cache,
          'x-content-type-options': 'nosniff',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found (is the app built? npm run build:web)`),
    );
  };
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
