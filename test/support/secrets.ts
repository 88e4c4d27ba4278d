// Secrets that only the tests define. They live here, with no imports, so that the log scan
// (test/support/log-scan.ts, a vitest globalSetup file) can import them as well as the tests.

/** The `GATEWAY_SECRET` every test gateway runs with. */
export const GATEWAY_SECRET = 'test-gateway-secret-of-at-least-32-chars';

/** The header value of the website the media-library tests create. */
export const WEBSITE_API_KEY = 'k-123-secret';
