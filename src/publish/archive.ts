/** Months of the river, for the archive pages: which month a post is in, and where a month begins, in the
 * site's time zone (so a post is filed under the month its day heading names). */
import type { DateLabels } from './dates.js';

export interface Month {
  year: number;
  /** 1–12 */
  month: number;
}

/** The month `date` falls in, where the labels' time zone is. */
export function monthOf(date: Date, labels: DateLabels): Month {
  const [year, month] = labels.dayKey(date).split('-').map(Number);
  return { year: year!, month: month! };
}

export function nextMonth({ year, month }: Month): Month {
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

const LABEL = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `May 2024` */
export function monthLabel({ year, month }: Month): string {
  return LABEL.format(Date.UTC(year, month - 1, 15));
}

/** The first instant of the month in `timeZone`, epoch ms. */
export function monthStart({ year, month }: Month, timeZone = 'UTC'): number {
  const wall = Date.UTC(year, month - 1, 1);
  // The zone's offset at midnight on the 1st, found from a first guess (it may differ across a DST change).
  return wall - zoneOffsetMs(wall - zoneOffsetMs(wall, timeZone), timeZone);
}

const zoneClocks = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function zoneOffsetMs(ms: number, timeZone: string): number {
  let clock = zoneClocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneClocks.set(timeZone, clock);
  }
  const part = Object.fromEntries(clock.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(part.year!, part.month! - 1, part.day, part.hour, part.minute, part.second);
  return wall - Math.floor(ms / 1000) * 1000;
}
