/** Date labels for pages, in the site's time zone (UTC unless configured). */

export interface DateLabels {
  /** `2024-05-10`: groups a river page into days. */
  dayKey(date: Date): string;
  /** `Friday, 10 May 2024` */
  day(date: Date): string;
  /** `10 May 2024, 14:05` */
  dateTime(date: Date): string;
}

const cache = new Map<string, DateLabels>();

/** Labels for one time zone; Intl formatters are costly to build, so they are made once per zone. */
export function dateLabels(timeZone = 'UTC'): DateLabels {
  let labels = cache.get(timeZone);
  if (!labels) {
    const key = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const day = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    const dateTime = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    labels = {
      dayKey: (d) => {
        // From parts, not the formatted string: locales disagree on the order of year, month and day.
        const part = (type: string) => key.formatToParts(d).find((p) => p.type === type)?.value;
        return `${part('year')}-${part('month')}-${part('day')}`;
      },
      day: (d) => day.format(d),
      dateTime: (d) => dateTime.format(d),
    };
    cache.set(timeZone, labels);
  }
  return labels;
}
