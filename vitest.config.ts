import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql@16 ships CJS and ESM without an "exports" map: Node loads the CJS build for
    // graphql-yoga while Vite would hand our sources the ESM one, and `instanceof
    // GraphQLError` would then fail across the two. Pin everything to Node's choice.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/log-scan.ts'],
    // Browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts) runs them.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 20_000,
  },
});
