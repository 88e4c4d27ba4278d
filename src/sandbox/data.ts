import type { SandboxAccount, SandboxAccountData } from './model.js';
import { seedAlice, seedBob, seedCarol, seedDave } from './seed.js';

/** The account with the large data set: 20 playlists, 50 media files, 3 templates. */
export const ALICE: SandboxAccount = { name: 'alice', token: 'sandbox-alice-token', companyId: 221 };

/** The account with the small data set, whose ids overlap alice's with other content. */
export const BOB: SandboxAccount = { name: 'bob', token: 'sandbox-bob-token', companyId: 314 };

/** The account of real size: 40 playlists of 6 entries, 150 media files in a paginated list (see seedCarol). */
export const CAROL: SandboxAccount = { name: 'carol', token: 'sandbox-carol-token', companyId: 512 };

/**
 * An account of real size whose media list comes 4 a page (16 pages): 40 playlists of 6 entries
 * showing 61 media files. Behind viewneo's 60 calls a minute its dashboard fits only the cheapest
 * plan (1 list + 40 entries reads + 16 media pages = 57 calls).
 */
export const DAVE: SandboxAccount = {
  name: 'dave',
  token: 'sandbox-dave-token',
  companyId: 613,
  lists: { mediafile: { shape: 'paginator', perPage: 4 } },
};

/** An account on a larger plan: viewneo announces 5,000 calls a minute for it (alice's data set otherwise). */
export const ERIN: SandboxAccount = { name: 'erin', token: 'sandbox-erin-token', companyId: 714, rateLimitPerMinute: 5000 };

/** The `n`th benchmark account (from 1): `bench-n`, token `sandbox-bench-n-token`, company 10000 + n. */
export function benchAccount(n: number): SandboxAccount {
  return { name: `bench-${n}`, token: `sandbox-bench-${n}-token`, companyId: 10_000 + n };
}

/**
 * Fresh, deterministic data of all sandbox accounts (alice, bob, carol, dave, erin, then
 * `benchAccounts` copies of alice's data set under {@link benchAccount}s); each call builds new objects.
 */
export function seedAccounts(benchAccounts = 0): SandboxAccountData[] {
  const bench = Array.from({ length: benchAccounts }, (_, i) => seedAlice(benchAccount(i + 1)));
  return [seedAlice(ALICE), seedBob(BOB), seedCarol(CAROL), seedDave(DAVE), seedAlice(ERIN), ...bench];
}
