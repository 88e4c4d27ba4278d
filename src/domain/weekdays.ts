/** The days of the week, Sunday first: bit `i` of viewneo's weekday bitmask is `WEEKDAYS[i]`. */
export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Decodes viewneo's weekday bitmask (Sunday 1 … Saturday 64) into weekday names, Sunday first. */
export function decodeWeekdays(mask: number): Weekday[] {
  return WEEKDAYS.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/** Encodes weekday names into viewneo's bitmask (Sunday 1 … Saturday 64); repeats count once. */
export function encodeWeekdays(days: readonly Weekday[]): number {
  return days.reduce((mask, day) => mask | (1 << WEEKDAYS.indexOf(day)), 0);
}
