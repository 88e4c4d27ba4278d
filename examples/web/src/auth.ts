import type { Client, CombinedError } from '@urql/core';
import { errorOf } from './client.js';
import { AUTHORIZATION_URL, EXCHANGE_CODE, type Grant, REFRESH_TOKEN, SIGN_OUT } from './documents.js';
import { messageFor, SESSION_EXPIRED } from './messages.js';

// Only whether this browser has started a session, never a token: it tells "your session
// expired" apart from a first visit when the refresh cookie no longer works.
const SIGNED_IN = 'viewneo-app:signed-in';
// The OAuth state of a sign-in begun in this tab, checked when viewneo sends the browser back.
const PENDING_STATE = 'viewneo-app:oauth-state';
// The access token is renewed once this share of its lifetime has passed.
const RENEW_AT = 0.8;
// setTimeout's longest delay (about 24.8 days).
const MAX_DELAY_MS = 2 ** 31 - 1;

/** How a renewal went: a new access token, the session over, or viewneo failing (try again later). */
export type Renewal = 'renewed' | 'over' | 'failed';

/** How starting the page went: signed in, or signed out with what to tell the user (null: nothing). */
export type Start = { readonly signedIn: true } | { readonly signedIn: false; readonly message: string | null };

/**
 * The browser session in token-handler mode: the access token lives in this object only (never
 * in storage), the refresh token in the gateway's HttpOnly cookie, which `refreshToken` trades
 * (and rotates) before the access token expires and after a reload.
 */
export class Auth {
  private token: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private renewing: Promise<Renewal> | null = null;

  /**
   * `redirectUri` is the page viewneo sends the browser back to (registered with viewneo's
   * OAuth client); `onChange` runs whenever the access token changes or goes.
   */
  constructor(
    private readonly client: Client,
    private readonly redirectUri: string,
    private readonly onChange: () => void,
    private readonly onProblem: (message: string) => void,
  ) {}

  /** The current access token, or null when signed out. */
  get accessToken(): string | null {
    return this.token;
  }

  /** Sends the browser to viewneo's login and consent page. */
  async signIn(): Promise<void> {
    const answer = await this.client.query(AUTHORIZATION_URL, { redirectUri: this.redirectUri }).toPromise();
    if (answer.error) return this.onProblem(messageFor(answer.error));
    const { url, state } = answer.data.authorizationUrl as { url: string; state: string };
    sessionStorage.setItem(PENDING_STATE, state);
    location.assign(url);
  }

  /**
   * Starts the page: finishes a sign-in when viewneo sent the browser back (code or error, and
   * the state this tab sent), else renews the session from the refresh cookie when this browser
   * had one.
   */
  async start(): Promise<Start> {
    const query = new URLSearchParams(location.search);
    if (query.has('code') || query.has('error')) return this.finishSignIn(query);
    if (localStorage.getItem(SIGNED_IN) === null) return { signedIn: false, message: null };
    const renewed = await this.renew();
    // After a failure of viewneo, onProblem has said so; the cookie still holds for a reload.
    return renewed === 'renewed' ? { signedIn: true } : { signedIn: false, message: renewed === 'over' ? SESSION_EXPIRED : null };
  }

  private async finishSignIn(query: URLSearchParams): Promise<Start> {
    // The code is single use and the URL may be shared or bookmarked: it leaves the address bar at once.
    history.replaceState(null, '', location.pathname);
    const expected = sessionStorage.getItem(PENDING_STATE);
    sessionStorage.removeItem(PENDING_STATE);
    if (expected === null || query.get('state') !== expected) {
      return { signedIn: false, message: 'This sign-in was not started from this page. Sign in again.' };
    }
    const error = query.get('error');
    if (error === 'access_denied') {
      return {
        signedIn: false,
        message: 'You denied access in viewneo, so the app cannot show your playlists. Sign in again to allow it.',
      };
    }
    if (error !== null) return { signedIn: false, message: `viewneo did not sign you in (${error}). Try again.` };
    const answer = await this.client
      .mutation(EXCHANGE_CODE, { code: query.get('code'), redirectUri: this.redirectUri, state: expected })
      .toPromise();
    if (answer.error) return { signedIn: false, message: messageFor(answer.error) };
    this.grant(answer.data.exchangeCode as Grant);
    return { signedIn: true };
  }

  /**
   * Trades the refresh cookie for a new access token (one trade at a time: each cookie is single
   * use). 'over' when the session is over (the cookie expired, was signed out or used by someone
   * else); 'failed' when viewneo failed: the current token is kept, the problem reported, and
   * renewing tried again later.
   */
  renew(): Promise<Renewal> {
    this.renewing ??= this.trade().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async trade(): Promise<Renewal> {
    let answer = await this.client.mutation(REFRESH_TOKEN, {}).toPromise();
    // Another tab may have rotated the cookie between this tab's read of it and its request: the
    // browser then holds the new one, so one more try settles it.
    if (answer.error && errorOf(answer.error)?.code === 'BAD_USER_INPUT')
      answer = await this.client.mutation(REFRESH_TOKEN, {}).toPromise();
    if (!answer.error) {
      this.grant(answer.data.refreshToken as Grant);
      return 'renewed';
    }
    if (sessionOver(answer.error)) {
      this.forget();
      return 'over';
    }
    this.onProblem(messageFor(answer.error));
    if (this.token !== null) this.schedule(30_000);
    return 'failed';
  }

  /** Ends the session at the gateway (the cookie is cleared and can never be traded again) and here. */
  async signOut(): Promise<void> {
    const answer = await this.client.mutation(SIGN_OUT, {}).toPromise();
    if (answer.error) this.onProblem(messageFor(answer.error));
    this.forget();
  }

  private grant(grant: Grant): void {
    this.token = grant.accessToken;
    localStorage.setItem(SIGNED_IN, 'yes');
    this.schedule((Date.parse(grant.expiresAt) - Date.now()) * RENEW_AT);
    this.onChange();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew(), Math.min(Math.max(delayMs, 1_000), MAX_DELAY_MS));
  }

  private forget(): void {
    clearTimeout(this.timer);
    this.token = null;
    localStorage.removeItem(SIGNED_IN);
    this.onChange();
  }
}

function sessionOver(error: CombinedError): boolean {
  const code = errorOf(error)?.code;
  return code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT';
}
