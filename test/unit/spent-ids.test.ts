import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LocalSpentIds } from '../../src/auth/spent-ids.js';

describe('LocalSpentIds', () => {
  it('refuses a second spend of an id while its lifetime lasts', async () => {
    const spent = new LocalSpentIds();
    // Lifetimes long enough for a loaded machine to make the next calls within them.
    expect(await spent.spend('state:a', 500)).toBe(true);
    expect(await spent.spend('state:a', 500)).toBe(false);
    expect(await spent.spend('state:b', 500)).toBe(true);
    await sleep(600);
    expect(await spent.spend('state:a', 500)).toBe(true);
  });

  it('accepts an id again once it was released', async () => {
    const spent = new LocalSpentIds();
    await spent.spend('refresh:a', 60_000);
    await spent.release('refresh:a');
    expect(await spent.spend('refresh:a', 60_000)).toBe(true);
  });
});
