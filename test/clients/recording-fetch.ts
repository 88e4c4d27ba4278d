/** One exchange with the gateway as a client's fetch made it. */
export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  status: number;
  responseHeaders: Headers;
}

/**
 * The real `fetch`, recording each exchange's method, URL and headers (both ways) for a client
 * library under test to use through its `fetch` option.
 */
export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    exchanges.push({
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      status: response.status,
      responseHeaders: response.headers,
    });
    return response;
  };
  return { fetch: recording, exchanges };
}
