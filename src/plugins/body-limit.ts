import type { Plugin } from 'graphql-yoga';

/**
 * Refuses request bodies over a size before they are read: 413 when `Content-Length`
 * exceeds the limit, 411 when a POST has no `Content-Length` (a chunked body could not be
 * bounded before it is buffered). Multipart uploads may be larger by `uploadBytes`; their
 * files are bounded again by the multipart parser.
 */
export function useBodyLimit(maxBodyBytes: number, uploadBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const reply = (status: number, message: string, code: string) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      const header = request.headers.get('content-length');
      if (header === null) return reply(411, 'Expected a Content-Length header on POST requests', 'LENGTH_REQUIRED');
      const multipart = request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data') ?? false;
      const limit = maxBodyBytes + (multipart ? uploadBytes : 0);
      if (Number(header) > limit) {
        return reply(413, `Expected a request body of at most ${limit} bytes, got ${header}`, 'REQUEST_ENTITY_TOO_LARGE');
      }
    },
  };
}
