// `npm run test:browser`: the tests in test/browser, which drive Debian's Chromium with
// playwright-core. Kept out of `npm test` so that it runs on machines without a browser.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    // The same set-up as `npm test` (the gateway log scan included), over test/browser only.
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: [...configDefaults.exclude],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
