// The example app: sign in with viewneo, browse playlists, rename and reorder with conflict
// handling, watch changes live, sign out. Plain DOM, no framework.
import type { AnyVariables, OperationResult } from '@urql/core';
import { Auth } from './auth.js';
import { errorOf, gatewayClient } from './client.js';
import {
  PLAYING_NOW,
  PLAYLIST_BY_ID,
  PLAYLIST_CHANGED,
  PLAYLISTS,
  type PlayingNow,
  type Playlist,
  RENAME_PLAYLIST,
  REORDER_ENTRIES,
} from './documents.js';
import { messageFor } from './messages.js';
import { byId, clock, entryName, h, playing, summary } from './view.js';

// The gateway serves the app, so it is on the same origin: the refresh cookie (SameSite=Strict,
// Path=/graphql) goes along with the auth mutations and nowhere else.
const GRAPHQL_URL = new URL('/graphql', location.href).toString();
const REDIRECT_URI = `${location.origin}${location.pathname}`;
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const client = gatewayClient(GRAPHQL_URL, () => auth.accessToken);
const auth = new Auth(client, REDIRECT_URI, () => onSession(), say);

let playlists: Playlist[] = [];
let selected: string | null = null;
let live: { unsubscribe(): void }[] = [];
let liveToken: string | null = null;
// The version of the playlist the name being typed was based on: the one shown when the user
// began typing (the field then keeps what is typed while live changes arrive); undefined when
// nothing is being typed.
let renameBase: string | null | undefined;

/** Shows a message to the user (empty: none). */
function say(message: string): void {
  byId('message').textContent = message;
}

/** Runs an operation; when the access token was refused, renews it once and runs it again. */
async function run(operation: () => Promise<OperationResult>): Promise<OperationResult> {
  const answer = await operation();
  if (answer.error && errorOf(answer.error)?.code === 'UNAUTHENTICATED' && (await auth.renew()) === 'renewed') return operation();
  return answer;
}

const query = (document: string, variables: AnyVariables = {}) => run(() => client.query(document, variables).toPromise());
const mutate = (document: string, variables: AnyVariables = {}) => run(() => client.mutation(document, variables).toPromise());

function onSession(): void {
  const signedIn = auth.accessToken !== null;
  byId('sign-in').hidden = signedIn;
  byId('sign-out').hidden = !signedIn;
  byId('app').hidden = !signedIn;
  if (!signedIn) {
    stopLive();
    playlists = [];
    selected = null;
    render();
  } else if (selected !== null && liveToken !== auth.accessToken) {
    // A subscription keeps the token it started with: a renewed token starts them again.
    watch(selected);
  }
}

async function loadPlaylists(): Promise<void> {
  const answer = await query(PLAYLISTS);
  if (answer.error) return say(messageFor(answer.error));
  playlists = answer.data.playlists.edges.map((edge: { node: Playlist }) => edge.node);
  render();
  const first = playlists[0];
  if (selected === null && first !== undefined) select(first.id);
}

function current(): Playlist | undefined {
  return playlists.find((p) => p.id === selected);
}

/** Puts a fresh copy of a playlist in place of the one shown. */
function replace(playlist: Playlist): void {
  playlists = playlists.map((p) => (p.id === playlist.id ? playlist : p));
  render();
}

function select(id: string): void {
  selected = id;
  renameBase = undefined;
  hideConflict();
  render();
  watch(id);
}

function stopLive(): void {
  for (const subscription of live) subscription.unsubscribe();
  live = [];
  liveToken = null;
}

/** Subscribes to the playlist's changes and to what it plays now. */
function watch(id: string): void {
  stopLive();
  liveToken = auth.accessToken;
  live = [
    client.subscription(PLAYLIST_CHANGED, { id }).subscribe((answer) => {
      if (answer.error) say(messageFor(answer.error));
      else replace(answer.data.playlistChanged as Playlist);
    }),
    client.subscription(PLAYING_NOW, { id, timeZone: TIME_ZONE }).subscribe((answer) => {
      if (answer.error) say(messageFor(answer.error));
      else byId('playing-now').textContent = playing(answer.data.playingNow as PlayingNow, TIME_ZONE);
    }),
  ];
}

/**
 * After a CONFLICT: reads the playlist again (the gateway dropped its stale copies), shows the
 * other editor's version, and offers to make the user's change again on top of it.
 */
async function conflict(what: string, retry: () => Promise<void>): Promise<void> {
  const id = selected;
  if (id === null) return;
  const answer = await query(PLAYLIST_BY_ID, { id });
  if (answer.error) return say(messageFor(answer.error));
  const fresh = answer.data.playlist as Playlist | null;
  if (fresh === null) return say('Another editor deleted this playlist.');
  replace(fresh);
  byId('conflict-text').textContent =
    `Another editor changed this playlist while you were working on it: it now shows their version (“${fresh.name}”). ` +
    `Your change (${what}) was not saved.`;
  byId('conflict').hidden = false;
  byId('retry').onclick = () => {
    hideConflict();
    void retry();
  };
}

function hideConflict(): void {
  byId('conflict').hidden = true;
}

async function rename(name: string, since: string | null): Promise<void> {
  const playlist = current();
  if (playlist === undefined) return;
  const answer = await mutate(RENAME_PLAYLIST, { id: playlist.id, name, since });
  // Whatever the outcome, the next edit starts from what is shown then.
  renameBase = undefined;
  if (answer.error && errorOf(answer.error)?.code === 'CONFLICT') {
    // Made again on purpose, over the version the conflict showed.
    return conflict(`renaming it to “${name}”`, () => rename(name, current()?.updatedAt ?? null));
  }
  if (answer.error) return say(messageFor(answer.error));
  say(`Renamed to “${name}”.`);
  replace(answer.data.updatePlaylist as Playlist);
  byId<HTMLInputElement>('name').value = name;
}

/** Moves an entry `delta` places (−1 up, +1 down), guarded by the newest updatedAt among the entries shown. */
async function move(entryId: string, delta: number): Promise<void> {
  const playlist = current();
  if (playlist === undefined) return;
  const order = playlist.entries.map((e) => e.id);
  const from = order.indexOf(entryId);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= order.length) return;
  [order[from], order[to]] = [order[to]!, order[from]!];
  const since = playlist.entries
    .map((e) => e.updatedAt)
    .reduce<string | null>((a, b) => (a === null || (b !== null && b > a) ? b : a), null);
  const answer = await mutate(REORDER_ENTRIES, { playlistId: playlist.id, entryIds: order, since });
  const moved = entryName(playlist.entries[from]!);
  if (answer.error && errorOf(answer.error)?.code === 'CONFLICT') {
    return conflict(`moving “${moved}” ${delta < 0 ? 'up' : 'down'}`, () => move(entryId, delta));
  }
  if (answer.error) return say(messageFor(answer.error));
  say(`Moved “${moved}” ${delta < 0 ? 'up' : 'down'}.`);
  replace(answer.data.reorderPlaylistEntries as Playlist);
}

function render(): void {
  const list = byId('playlists');
  list.replaceChildren(
    ...playlists.map((p) => {
      const button = h('button', summary(p), { type: 'button', 'aria-current': String(p.id === selected) });
      button.onclick = () => select(p.id);
      const item = h('li');
      item.append(button);
      return item;
    }),
  );
  const playlist = current();
  byId('detail').hidden = playlist === undefined;
  if (playlist === undefined) return;
  byId('detail-name').textContent = playlist.name;
  const input = byId<HTMLInputElement>('name');
  // A name being typed stays; a live change shows in the heading meanwhile.
  if (renameBase === undefined) input.value = playlist.name;
  byId('total').textContent = `${playlist.entries.length} entries, ${clock(playlist.totalDuration)} in all`;
  byId('entries').replaceChildren(
    ...playlist.entries.map((entry, position) => {
      const item = h('li');
      item.append(h('span', `${entryName(entry)} (${clock(entry.duration)})`));
      const up = h('button', '↑', { type: 'button', 'aria-label': `Move ${entryName(entry)} up` }) as HTMLButtonElement;
      const down = h('button', '↓', { type: 'button', 'aria-label': `Move ${entryName(entry)} down` }) as HTMLButtonElement;
      up.disabled = position === 0;
      down.disabled = position === playlist.entries.length - 1;
      up.onclick = () => void move(entry.id, -1);
      down.onclick = () => void move(entry.id, 1);
      item.append(up, down);
      return item;
    }),
  );
}

byId('sign-in').onclick = () => void auth.signIn();
byId('sign-out').onclick = async () => {
  await auth.signOut();
  say('You are signed out.');
};
byId('reload').onclick = () => {
  say('');
  void loadPlaylists();
};
byId('name').oninput = () => {
  renameBase ??= current()?.updatedAt ?? null;
};
byId<HTMLFormElement>('rename').onsubmit = (event) => {
  event.preventDefault();
  hideConflict();
  void rename(byId<HTMLInputElement>('name').value.trim(), renameBase ?? current()?.updatedAt ?? null);
};
byId('dismiss').onclick = hideConflict;

const started = await auth.start();
if (!started.signedIn) {
  onSession();
  if (started.message !== null) say(started.message);
} else await loadPlaylists();
document.body.dataset.ready = 'true';
