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

  it('assumes 60 calls a minute per token with no cap, reads a cap, and refuses a cap without a budget naming both variables', () => {
    expect(loadConfig({})).toMatchObject({ upstreamRatePerMinute: 60, upstreamRateCap: null });
    expect(loadConfig({ UPSTREAM_RATE_CAP: '40' })).toMatchObject({ upstreamRatePerMinute: 60, upstreamRateCap: 40 });
    expect(loadConfig({ UPSTREAM_RATE_CAP: '0' }).upstreamRateCap).toBeNull();
    expect(() => loadConfig({ UPSTREAM_RATE_CAP: '40', UPSTREAM_RATE_PER_MINUTE: '0' })).toThrow(
      /UPSTREAM_RATE_CAP needs a budget to cap, got UPSTREAM_RATE_PER_MINUTE=0/,
    );
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

  it('keeps everything in-process without REDIS_URL, with the documented Redis defaults when it is set', () => {
    expect(loadConfig({})).toMatchObject({ redis: null, upstreamRatePerMinute: 60 });
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379' }).redis).toEqual({
      mode: 'single',
      url: 'redis://redis:6379',
      nodes: [{ host: 'redis', port: 6379 }],
      username: null,
      password: null,
      tls: false,
      db: 0,
      sentinelName: null,
      waitReplicas: 0,
      keyPrefix: 'vg:',
      timeoutMs: 50,
      maxValueBytes: 262_144,
    });
  });

  it("reads a cluster of seed nodes with the first URL's credentials and TLS, waiting for one replica by default", () => {
    const redis = loadConfig({ REDIS_MODE: 'cluster', REDIS_URL: 'rediss://gw:p%40ss@10.0.0.1:7000, rediss://10.0.0.2:7000' }).redis;
    expect(redis).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
      username: 'gw',
      password: 'p@ss',
      tls: true,
      db: 0,
      waitReplicas: 1,
    });
  });

  it('reads the sentinels and the master set they watch', () => {
    const redis = loadConfig({
      REDIS_MODE: 'sentinel',
      REDIS_URL: 'redis://:secret@s1,redis://s2:26380/3',
      REDIS_SENTINEL_NAME: 'gateway',
      REDIS_WAIT_REPLICAS: '0',
    }).redis;
    expect(redis).toMatchObject({
      mode: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      password: 'secret',
      db: 0,
      sentinelName: 'gateway',
      waitReplicas: 0,
    });
  });

  it('refuses a bad combination of Redis variables, naming them', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ REDIS_MODE: 'replicated', REDIS_URL: 'redis://r' })).toMatch(/REDIS_MODE must be one of single, cluster, sentinel/);
    expect(refused({ REDIS_MODE: 'sentinel', REDIS_URL: 'redis://s1' })).toMatch(
      /REDIS_SENTINEL_NAME must name the master set when REDIS_MODE=sentinel/,
    );
    expect(refused({ REDIS_MODE: 'cluster', REDIS_URL: 'redis://r', REDIS_SENTINEL_NAME: 'm' })).toMatch(
      /REDIS_SENTINEL_NAME is for REDIS_MODE=sentinel only/,
    );
    expect(refused({ REDIS_URL: 'redis://a,redis://b' })).toMatch(/REDIS_URL must be one URL when REDIS_MODE=single/);
    expect(refused({ REDIS_MODE: 'cluster' })).toMatch(/REDIS_URL must be set when REDIS_MODE=cluster/);
    expect(refused({ REDIS_MODE: 'cluster', REDIS_URL: 'redis://a/2' })).toMatch(/REDIS_URL must name no database when REDIS_MODE=cluster/);
    expect(refused({ REDIS_MODE: 'cluster', REDIS_URL: 'redis://a,rediss://b' })).toMatch(/REDIS_URL must use one scheme/);
    expect(refused({ REDIS_MODE: 'cluster', REDIS_URL: 'redis://:hunter2@a,http://b' })).not.toContain('hunter2');
    expect(refused({ REDIS_URL: 'redis://r', REDIS_KEY_PREFIX: 'gw{eu}:' })).toMatch(
      /REDIS_KEY_PREFIX must be .* without spaces or braces/,
    );
  });

  it('reads the Redis variables and the shared upstream rate', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://:p%40ss@redis.internal:6380/2',
      REDIS_KEY_PREFIX: 'gw-eu:',
      REDIS_TIMEOUT_MS: '20',
      REDIS_MAX_VALUE_BYTES: '1024',
      UPSTREAM_RATE_PER_MINUTE: '0',
    });
    expect(config.redis).toMatchObject({
      url: 'rediss://:p%40ss@redis.internal:6380/2',
      nodes: [{ host: 'redis.internal', port: 6380 }],
      password: 'p@ss',
      tls: true,
      db: 2,
      keyPrefix: 'gw-eu:',
      timeoutMs: 20,
      maxValueBytes: 1024,
    });
    expect(config.upstreamRatePerMinute).toBe(0);
    expect(Object.isFrozen(config.redis)).toBe(true);
  });

  it('refuses a REDIS_URL that is not redis:// or rediss:// with a host, without echoing it', () => {
    for (const url of [
      'http://:hunter2@redis:6379',
      'REDISS://:hunter2@redis',
      'redis://:hunter2@',
      'redis://:hunter2@redis:6379/db',
      'not a url hunter2',
    ]) {
      let message = '';
      try {
        loadConfig({ REDIS_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      expect(message).not.toContain('hunter2');
    }
  });

  it('names each bad Redis variable', () => {
    let message = '';
    try {
      loadConfig({
        REDIS_URL: 'redis://redis',
        REDIS_KEY_PREFIX: 'has space',
        REDIS_TIMEOUT_MS: '0',
        REDIS_MAX_VALUE_BYTES: 'big',
        UPSTREAM_RATE_PER_MINUTE: '-1',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['REDIS_KEY_PREFIX', 'REDIS_TIMEOUT_MS', 'REDIS_MAX_VALUE_BYTES', 'UPSTREAM_RATE_PER_MINUTE'])
      expect(message).toContain(name);
  });

  it('reads the trusted documents once, only-mode on by default in production, and names a bad file', () => {
    const map = 'examples/client/gql/persisted-documents.json';
    const dev = loadConfig({ PERSISTED_DOCUMENTS: map });
    expect(dev.persistedDocuments?.size).toBeGreaterThan(0);
    expect(dev.persistedDocumentsOnly).toBe(false);
    const secret = 'x'.repeat(32);
    expect(loadConfig({ PERSISTED_DOCUMENTS: map, NODE_ENV: 'production', GATEWAY_SECRET: secret }).persistedDocumentsOnly).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', GATEWAY_SECRET: secret }).persistedDocumentsOnly).toBe(false);
    expect(() => loadConfig({ PERSISTED_DOCUMENTS: 'nope.json' })).toThrow(
      /PERSISTED_DOCUMENTS must name a readable JSON file, got "nope.json"/,
    );
    expect(() => loadConfig({ PERSISTED_DOCUMENTS: 'package-lock.json' })).toThrow(
      /PERSISTED_DOCUMENTS must name a JSON object of document ids/,
    );
  });

  it('is no subgraph unless FEDERATION=true, and refuses FEDERATION with only trusted documents, naming both', () => {
    const map = 'examples/client/gql/persisted-documents.json';
    const secret = 'x'.repeat(32);
    expect(loadConfig({}).federation).toBe(false);
    const production = { PERSISTED_DOCUMENTS: map, NODE_ENV: 'production', GATEWAY_SECRET: secret, FEDERATION: 'true' };
    expect(loadConfig(production)).toMatchObject({ federation: true, persistedDocumentsOnly: false });
    expect(() => loadConfig({ ...production, PERSISTED_DOCUMENTS_ONLY: 'true' })).toThrow(
      /PERSISTED_DOCUMENTS_ONLY must be false with FEDERATION=true .*got "true"/,
    );
    expect(() => loadConfig({ FEDERATION: 'yes' })).toThrow(/FEDERATION must be "true" or "false", got "yes"/);
  });
});
