import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LocalSpentIds } from '../../src/auth/spent-ids.js';

describe('LocalSpentIds', () => {
  it('refuses a second spend of an id while its lifetime lasts', async () => {
    const spent = new LocalSpentIds();
    expect(await spent.spend('state:a', 30)).toBe(true);
    expect(await spent.spend('state:a', 30)).toBe(false);
    expect(await spent.spend('state:b', 30)).toBe(true);
    await sleep(50);
    expect(await spent.spend('state:a', 30)).toBe(true);
  });

  it('accepts an id again once it was released', async () => {
    const spent = new LocalSpentIds();
    await spent.spend('refresh:a', 60_000);
    await spent.release('refresh:a');
    expect(await spent.spend('refresh:a', 60_000)).toBe(true);
  });
});
