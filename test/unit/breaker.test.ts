import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/viewneo/transport/breaker.js';

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
