/** Formats a moment as viewneo does: "YYYY-MM-DD HH:MM:SS", in UTC, without a zone. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Sets `updated_at` to now, and always later than before: viewneo's timestamps have whole
 * seconds, and two writes within one second must still tell a stale copy from the current one.
 */
export function touch(item: { updated_at: string }): string {
  const previous = Date.parse(`${item.updated_at.replace(' ', 'T')}Z`);
  const now = Math.max(Date.now(), Number.isNaN(previous) ? 0 : previous + 1000);
  item.updated_at = formatTimestamp(new Date(now));
  return item.updated_at;
}
