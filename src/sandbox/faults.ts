import { STATUS_CODES } from 'node:http';
import { API_PREFIX } from './http.js';

/**
 * A failure to inject. A fault matches a request when its `path` (exact pathname, or a RegExp
 * tested on the pathname; absent = every `/api/v1.0` path) and `method` (case-insensitive) match,
 * the request carries `token` (absent = any or none), it has `times` left (absent = unlimited),
 * with a `rate` a seeded random draw falls below it, and with `every` n it is the 1st, (n+1)th,
 * (2n+1)th… request matching it so far (every: 2 = every other one, starting with the first).
 * - 'status': answers `status` (default 500) with `body` (default a Laravel `{"message"}` body)
 *   and `headers` (added over `Content-Type: application/json`);
 * - 'hang': never answers (the socket stays open until the sandbox closes);
 * - 'stall': answers 200 with headers and half of a body (`body`, default `{"data": [`), then
 *   never sends the rest;
 * - 'reset': destroys the socket;
 * - 'cut': carries the request out (a write is applied), answers its status, headers and the first
 *   half of its body (with the whole body's Content-Length), then destroys the socket;
 * - 'malformed': answers 200 with a non-JSON `body` (default `<html>oops`) that still claims to be JSON;
 * - 'latency': waits `ms` more, then answers normally.
 */
export interface Fault {
  path?: string | RegExp;
  method?: string;
  times?: number;
  rate?: number;
  every?: number;
  token?: string;
  kind: 'status' | 'hang' | 'stall' | 'reset' | 'cut' | 'malformed' | 'latency';
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  ms?: number;
}

/** The injected faults, checked in order; the first that matches a request applies to it. */
export class FaultList {
  private faults: { fault: Fault; left: number; seen: number }[] = [];
  private random: () => number;

  /** `seed` makes the `rate` draws repeatable. */
  constructor(private readonly seed: number) {
    this.random = mulberry32(seed);
  }

  /** Appends a fault after those already injected. */
  add(fault: Fault): void {
    this.faults.push({ fault, left: fault.times ?? Infinity, seen: 0 });
  }

  /** Removes every fault and restarts the random draws from the seed. */
  clear(): void {
    this.faults = [];
    this.random = mulberry32(this.seed);
  }

  /** The fault that applies to this request (its `Authorization` header as sent), if any (using up one of its `times`). */
  take(method: string, pathname: string, authorization?: string): Fault | undefined {
    for (const slot of this.faults) {
      const { fault } = slot;
      if (slot.left <= 0) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!pathMatches(fault.path, pathname)) continue;
      if (fault.token !== undefined && authorization !== `Bearer ${fault.token}`) continue;
      if (fault.every !== undefined && slot.seen++ % fault.every !== 0) continue;
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      slot.left--;
      return fault;
    }
    return undefined;
  }
}

/** The `{"message"}` body Laravel gives for a status (e.g. 500 "Server Error", 429 "Too Many Attempts."). */
export function defaultFaultBody(status: number): string {
  const message = status === 500 ? 'Server Error' : status === 429 ? 'Too Many Attempts.' : (STATUS_CODES[status] ?? 'Error');
  return JSON.stringify({ message });
}

function pathMatches(path: string | RegExp | undefined, pathname: string): boolean {
  if (path === undefined) return pathname.startsWith(`${API_PREFIX}/`);
  return typeof path === 'string' ? path === pathname : testFromStart(path, pathname);
}

/** Tests a RegExp from the start of the text, even one with the g or y flag (which remember lastIndex). */
export function testFromStart(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/** mulberry32: a small seeded PRNG of numbers in [0, 1); the same seed always gives the same sequence (a fault `rate`, the fuzzer, the soak). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
