/** The model's date format (see model.ts): RFC 3339 in UTC. Imports nothing, so any layer may depend on it. */

const DAY_MS = 86_400_000;
/** '00'…'99': two digits by table, for the fields of every date the parser writes. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));

/**
 * An instant → RFC 3339 UTC, seconds precision, 'Z' (e.g. 2024-05-01T12:00:00Z). Milliseconds only when
 * non-zero. Written from the epoch by arithmetic for years 1000–9999 (every date parseDate returns), about
 * three times faster than Date#toISOString and a slice; other years take that slower way (±YYYYYY).
 */
export function formatRfc3339(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('formatRfc3339: invalid Date');
  const days = Math.floor(time / DAY_MS);
  let rest = time - days * DAY_MS;
  // Civil date of a day count (H. Hinnant's algorithm, proleptic Gregorian).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) {
    const iso = date.toISOString(); // ±YYYYYY-…
    return time % 1000 === 0 ? `${iso.slice(0, -5)}Z` : iso;
  }
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const ms = rest - second * 1000;
  const hundreds = Math.floor(year / 100);
  const stamp =
    `${TWO_DIGITS[hundreds]}${TWO_DIGITS[year - hundreds * 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` +
    `T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}`;
  return ms === 0 ? `${stamp}Z` : `${stamp}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}
