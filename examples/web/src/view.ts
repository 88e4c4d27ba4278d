import type { Entry, PlayingNow, Playlist } from './documents.js';

/** The element with this id; throws when the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
}

/** A new element with text (set as text, never parsed as HTML) and attributes. */
export function h(tag: string, text = '', attributes: Record<string, string> = {}): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** Seconds as m:ss (h:mm:ss from an hour on). */
export function clock(seconds: number): string {
  const s = String(seconds % 60).padStart(2, '0');
  const m = Math.floor(seconds / 60) % 60;
  const hours = Math.floor(seconds / 3600);
  return hours > 0 ? `${hours}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** What an entry shows, in words. */
export function entryName(entry: Pick<Entry, 'content'>): string {
  if (entry.content === null) return '(content no longer exists)';
  return entry.content.__typename === 'Playlist' ? `Playlist: ${entry.content.name}` : entry.content.name;
}

/** One line of the playlist list: name, number of entries, total duration. */
export function summary(playlist: Playlist): string {
  const n = playlist.entries.length;
  return `${playlist.name} — ${n} ${n === 1 ? 'entry' : 'entries'}, ${clock(playlist.totalDuration)}`;
}

/** A `playingNow` event in words. */
export function playing(now: PlayingNow, timeZone: string): string {
  const names = now.entries.map(entryName);
  const what = names.length === 0 ? 'nothing' : names.join(', ');
  const next = now.nextChangeAt === null ? 'no change ahead' : `next change at ${now.nextChangeAt.replace('T', ' ')}`;
  return `${what} (${timeZone}, ${now.localTime.replace('T', ' ').slice(0, 16)}; ${next})`;
}
