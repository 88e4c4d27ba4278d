import { DAY, type LocalSeconds } from './schedule.js';

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone name this runtime knows (`Europe/Berlin`, `UTC`); offsets like `+01:00` are not. */
export function isTimeZone(zone: string): boolean {
  if (!ZONE_NAME.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock time in `zone` at the instant `epochMs`, as screen-local seconds (whole seconds). */
export function localSecondsAt(epochMs: number, zone: string): LocalSeconds {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  );
  const date = new Date(0);
  date.setUTCFullYear(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  const day = Math.round(date.getTime() / (DAY * 1000));
  return day * DAY + Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
}

/** The zone's offset from UTC at the instant `epochMs`, in seconds. */
function offsetAt(epochMs: number, zone: string): number {
  return localSecondsAt(epochMs, zone) - Math.floor(epochMs / 1000);
}

/**
 * The earliest instant (epoch ms, whole seconds) at which the wall clock in `zone` shows `local`
 * or later: of two instants that show it (the clock falls back), the earlier; when a clock change
 * skips it (spring forward), the instant the clock jumps.
 */
export function instantAtOrAfter(local: LocalSeconds, zone: string): number {
  const naive = local * 1000;
  // Offsets stay within ±14 h, and change at most once in so short a stretch.
  const offsets = [offsetAt(naive - 14 * 3_600_000, zone), offsetAt(naive + 14 * 3_600_000, zone)];
  const exact = offsets.map((offset) => naive - offset * 1000).filter((t) => localSecondsAt(t, zone) === local);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the jump lies between the two readings; find its second.
  let low = Math.min(...offsets.map((offset) => naive - offset * 1000));
  let high = Math.max(...offsets.map((offset) => naive - offset * 1000));
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (localSecondsAt(middle, zone) >= local) high = middle;
    else low = middle;
  }
  return high;
}
