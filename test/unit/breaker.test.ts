import { describe, expect, it } from 'vitest';
import { CircuitBreaker, Circuits } from '../../src/viewneo/transport/breaker.js';

function breaker() {
  let now = 1_000_000;
  const b = new CircuitBreaker({ windowMs: 10_000, minCalls: 4, failureRatio: 0.5, cooldownMs: 5_000, now: () => now });
  return { b, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed while too few calls fail', () => {
    const { b } = breaker();
    for (const ok of [true, true, false, true, true, false]) b.record(ok, b.enter()!);
    expect(b.isOpen).toBe(false);
    expect(b.enter()).toBe('call');
  });

  it('opens when half the calls in the window failed, then fails fast', () => {
    const { b } = breaker();
    for (const ok of [true, false, true, false]) b.record(ok, b.enter()!);
    expect(b.isOpen).toBe(true);
    expect(b.enter()).toBeNull();
    expect(b.retryAfterSeconds()).toBe(5);
  });

  it('forgets failures older than the window', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.record(false, b.enter()!);
    advance(11_000);
    b.record(false, b.enter()!);
    expect(b.isOpen).toBe(false);
  });

  it('lets one probe through after the cooldown and closes when it succeeds', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 4; i++) b.record(false, b.enter()!);
    advance(5_000);
    expect(b.enter()).toBe('probe');
    expect(b.enter()).toBeNull();
    b.record(true, 'probe');
    expect(b.isOpen).toBe(false);
    expect(b.enter()).toBe('call');
  });

  it('reopens when the probe fails', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 4; i++) b.record(false, b.enter()!);
    advance(5_000);
    b.record(false, b.enter()!);
    expect(b.enter()).toBeNull();
    advance(4_999);
    expect(b.enter()).toBeNull();
    advance(1);
    expect(b.enter()).toBe('probe');
  });
});

describe('Circuits', () => {
  function circuits() {
    let now = 1_000_000;
    const c = new Circuits({ windowMs: 10_000, minCalls: 4, failureRatio: 0.5, cooldownMs: 5_000, now: () => now });
    const call = (token: string, ok: boolean) => {
      const entered = c.enter(token);
      if ('scope' in entered) return entered.scope;
      c.record(token, ok, entered);
      return 'called';
    };
    return { c, call, advance: (ms: number) => (now += ms) };
  }

  it("opens only a failing token's circuit while another token's calls succeed", () => {
    const { c, call } = circuits();
    for (let i = 0; i < 10; i++) {
      call('good', true);
      call('bad', false);
    }
    expect(c.hostOpen).toBe(false);
    expect(call('bad', true)).toBe('token');
    expect(call('good', true)).toBe('called');
  });

  it('opens the host circuit when more than half the tokens fail', () => {
    const { c, call } = circuits();
    for (let i = 0; i < 4; i++) {
      call('good', true);
      call('bad-1', false);
      call('bad-2', false);
    }
    expect(c.hostOpen).toBe(true);
    expect(call('good', true)).toBe('host');
  });

  it("opens the host circuit on a single token's failures (nothing to tell them from viewneo's)", () => {
    const { c, call } = circuits();
    for (let i = 0; i < 4; i++) call('only', false);
    expect(c.hostOpen).toBe(true);
  });

  it("lets a token's probe through after its cooldown and closes its circuit when it succeeds", () => {
    const { call, advance } = circuits();
    for (let i = 0; i < 6; i++) {
      call('good', true);
      call('bad', false);
    }
    expect(call('bad', true)).toBe('token');
    advance(5_000);
    expect(call('bad', true)).toBe('called');
    expect(call('bad', true)).toBe('called');
  });

  it("gives back the host's probe that a token's open circuit kept from going out", () => {
    const { c, call, advance } = circuits();
    // Bad's calls are admitted now, and judged only after their retries, once the host is open.
    const slow = Array.from({ length: 4 }, () => c.enter('bad'));
    for (let i = 0; i < 4; i++) {
      call('x', false);
      call('y', false);
    }
    expect(c.hostOpen).toBe(true);
    advance(1_000);
    for (const admissions of slow) if (!('scope' in admissions)) c.record('bad', false, admissions);
    advance(4_000);
    // The host may probe now, but bad's own circuit is still open: its call must not use up the host's probe.
    expect(call('bad', true)).toBe('token');
    expect(call('other', true)).toBe('called');
    expect(c.hostOpen).toBe(false);
  });
});
