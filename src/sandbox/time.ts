/** Formats a moment as viewneo does: "YYYY-MM-DD HH:MM:SS", in UTC, without a zone. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
