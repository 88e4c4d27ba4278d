import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      viewneoBaseUrl: 'https://cloud.viewneo.com',
      oauthClient: null,
      gatewaySecretGenerated: true,
      cacheTtlMs: 10_000,
      upstreamTimeoutMs: 10_000,
      logLevel: 'info',
    });
    expect(config.gatewaySecret.length).toBe(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      VIEWNEO_BASE_URL: 'http://localhost:4010/',
      VIEWNEO_CLIENT_ID: 'id',
      VIEWNEO_CLIENT_SECRET: 'secret',
      GATEWAY_SECRET: 'x'.repeat(32),
      CACHE_TTL_MS: '0',
      CACHE_MAX_ENTRIES: '50',
      UPSTREAM_TIMEOUT_MS: '500',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      viewneoBaseUrl: 'http://localhost:4010',
      oauthClient: { id: 'id', secret: 'secret' },
      gatewaySecretGenerated: false,
      cacheTtlMs: 0,
      cacheMaxEntries: 50,
      upstreamTimeoutMs: 500,
      logLevel: 'debug',
    });
  });

  it('names every invalid variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        VIEWNEO_BASE_URL: 'ftp://x',
        VIEWNEO_CLIENT_ID: 'id',
        GATEWAY_SECRET: 'short',
        CACHE_TTL_MS: '-1',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'VIEWNEO_BASE_URL', 'VIEWNEO_CLIENT_SECRET', 'GATEWAY_SECRET', 'CACHE_TTL_MS', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('short');
  });

  it('requires GATEWAY_SECRET and turns introspection and GraphiQL off in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/GATEWAY_SECRET must be set when NODE_ENV=production/);
    const config = loadConfig({ NODE_ENV: 'production', GATEWAY_SECRET: 'p'.repeat(40) });
    expect(config).toMatchObject({ production: true, introspection: false, graphiql: false });
    expect(loadConfig({ NODE_ENV: 'production', GATEWAY_SECRET: 'p'.repeat(40), INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('reads the CORS allow-list and refuses entries that are not origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).corsOrigins).toEqual([
      'https://a.example',
      'http://localhost:3000',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ GRAPHIQL: 'yes' })).toThrow(/GRAPHIQL must be "true" or "false"/);
  });
});
