/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 and asctime forms, case-insensitive.
 * Hand-written because `Date.parse` accepts almost anything (`Date.parse('1')` is the year 2001),
 * which would turn garbage Retry-After/Expires values into real delays.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/** Milliseconds since the epoch, or undefined when `value` is not an HTTP-date. */
export function parseHttpDate(value: string): number | undefined {
  const text = value.trim();
  let day: string;
  let month: string;
  let year: number;
  let clock: string[];
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(text))) {
    [day, month, year, clock] = [m[1]!, m[2]!, Number(m[3]), m.slice(4, 7)];
  } else if ((m = RFC850.exec(text))) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const yy = Number(m[3]);
    const thisYear = new Date().getUTCFullYear();
    year = 2000 + yy > thisYear + 50 ? 1900 + yy : 2000 + yy;
    [day, month, clock] = [m[1]!, m[2]!, m.slice(4, 7)];
  } else if ((m = ASCTIME.exec(text))) {
    [month, day, clock, year] = [m[1]!, m[2]!.trim(), m.slice(3, 6), Number(m[6])];
  } else return undefined;
  const [h, min, s] = clock.map(Number) as [number, number, number];
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  const ms = Date.UTC(year, monthIndex, Number(day), h, min, s);
  // Reject impossible fields that Date.UTC would silently roll over (Feb 31, 25:00).
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(day) || back.getUTCHours() !== h || min > 59 || s > 60) return undefined;
  return ms;
}
