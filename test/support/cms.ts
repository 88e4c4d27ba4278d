import { expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';

/**
 * Changes an object behind the gateway's back, as another editor in viewneo's CMS would: one
 * JSON call straight to the sandbox's REST API with the account's token (it counts against the
 * token's rate limit there, as the CMS's calls do). Fails the test unless viewneo answers 2xx.
 */
export async function editInCms(sandbox: Sandbox, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await fetch(`${sandbox.url}/api/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(answer.status, `${method} ${path}`).toBeLessThan(300);
  return answer.status === 204 ? null : answer.json();
}
