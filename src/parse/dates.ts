/**
 * Dates as feeds write them → instants.
 *
 * Zone-less rule: a date with no zone (`2024-05-01T12:00:00`, `01 May 2024 12:00`) is taken as UTC,
 * as feedparser does. The feed gives no better clue, and UTC keeps the result the same on every machine.
 *
 * One hand-written scanner reads RFC 822/2822 (and RFC 850, asctime, JavaScript's Date#toString),
 * ISO 8601 / W3CDTF (extended and basic, ordinal, year-month) and common variants: no per-call regex,
 * tables for words, input bounded to MAX_SCAN characters, so hostile dates cost microseconds. The
 * JS date libraries are either large or miss these variants, and Date.parse is implementation-defined.
 */

/** Longest input looked at: a date with its day name, zone and comment fits well within it. */
const MAX_SCAN = 200;
const MAX_TOKENS = 64;
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
/** Real zone offsets lie within ±14 h; a little slack for odd ones, none for `+9999`. */
const MAX_OFFSET_MINUTES = 18 * 60;

const MONTH_NAMES_EN = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Month words: English names and every abbreviation of 3+ letters ("Sept"), and common other-language forms. */
const MONTH_WORDS = new Map<string, number>();
MONTH_NAMES_EN.forEach((name, k) => {
  for (let l = 3; l <= name.length; l++) MONTH_WORDS.set(name.slice(0, l), k + 1);
});
for (const [month, words] of [
  [1, 'januar janvier janv enero ene gennaio gen januari janeiro'],
  [2, 'februar février févr fevrier fevr fév fev febrero febbraio februari fevereiro'],
  [3, 'märz maerz mär mrz mars marzo maart mrt março marco'],
  [4, 'avril avr abril abr aprile'],
  [5, 'mai mayo maggio mag mei maio'],
  [6, 'juni juin junio giugno giu junho'],
  [7, 'juli juillet juil julio luglio lug julho'],
  [8, 'août aout aoû agosto ago augustus'],
  [9, 'septembre septiembre setiembre settembre set setembro'],
  [10, 'oktober okt octobre octubre ottobre ott outubro out'],
  [11, 'novembre noviembre novembro'],
  [12, 'dezember dez décembre déc decembre diciembre dic dicembre december dezembro'],
] as const) {
  for (const w of words.split(' ')) MONTH_WORDS.set(w, month);
}

/** Zone names feeds use, in minutes east of UTC. US names win where a name is ambiguous (CST, IST is India). */
const ZONE_WORDS = new Map<string, number>(
  Object.entries({
    ut: 0,
    utc: 0,
    gmt: 0,
    z: 0,
    wet: 0,
    west: 60,
    bst: 60,
    cet: 60,
    met: 60,
    cest: 120,
    mest: 120,
    eet: 120,
    eest: 180,
    msk: 180,
    ist: 330,
    ict: 420,
    wib: 420,
    hkt: 480,
    sgt: 480,
    awst: 480,
    pht: 480,
    jst: 540,
    kst: 540,
    acst: 570,
    acdt: 630,
    aest: 600,
    aedt: 660,
    nzst: 720,
    nzdt: 780,
    nst: -210,
    ndt: -150,
    ast: -240,
    adt: -180,
    est: -300,
    edt: -240,
    et: -300,
    cst: -360,
    cdt: -300,
    ct: -360,
    mst: -420,
    mdt: -360,
    mt: -420,
    pst: -480,
    pdt: -420,
    pt: -480,
    akst: -540,
    akdt: -480,
    hst: -600,
  }),
);

/** RFC 822 military zones: A–I = +1…+9, K–M = +10…+12, N–Y = −1…−12 (Z is in ZONE_WORDS). */
function militaryZone(letter: number): number | undefined {
  if (letter >= 0x61 && letter <= 0x69) return (letter - 0x60) * 60; // a–i
  if (letter >= 0x6b && letter <= 0x6d) return (letter - 0x61) * 60; // k–m
  if (letter >= 0x6e && letter <= 0x79) return -(letter - 0x6d) * 60; // n–y
  return undefined;
}

const NUM = 1;
const WORD = 2;
const PUNCT = 3;

// Token buffers, reused across calls (parseDate is synchronous and not re-entrant).
const kinds = new Uint8Array(MAX_TOKENS);
const starts = new Uint16Array(MAX_TOKENS);
const ends = new Uint16Array(MAX_TOKENS);
/** For NUM: the value (NaN past 9 digits); for PUNCT: the char code. */
const values = new Float64Array(MAX_TOKENS);

/** Character classes up to U+024F (Latin letters with diacritics, for "févr", "août"); above is a separator. */
const CLASS_DIGIT = 1;
const CLASS_LETTER = 2;
const CLASS_PUNCT = 3;
const CLASS_COMMENT = 4;
const CHAR_CLASS = new Uint8Array(0x250);
for (let c = 0x30; c <= 0x39; c++) CHAR_CLASS[c] = CLASS_DIGIT;
for (let c = 0x41; c <= 0x5a; c++) CHAR_CLASS[c] = CHAR_CLASS[c + 0x20] = CLASS_LETTER;
for (let c = 0xc0; c < 0x250; c++) if (c !== 0xd7 && c !== 0xf7) CHAR_CLASS[c] = CLASS_LETTER;
for (const c of '+-:.,/') CHAR_CLASS[c.charCodeAt(0)] = CLASS_PUNCT;
CHAR_CLASS[0x28] = CLASS_COMMENT; // (

function charClass(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 0x250 ? CHAR_CLASS[c]! : 0;
}

/** Splits s into numbers, words and punctuation; whitespace separates, `(comments)` are dropped. */
function tokenize(s: string): number {
  let n = 0;
  let i = 0;
  const len = s.length;
  while (i < len && n < MAX_TOKENS) {
    const cls = charClass(s, i);
    if (cls === CLASS_DIGIT) {
      let j = i + 1;
      while (j < len && charClass(s, j) === CLASS_DIGIT) j++;
      kinds[n] = NUM;
      values[n] = j - i <= 9 ? digitsValue(s, i, j) : Number.NaN;
      starts[n] = i;
      ends[n++] = j;
      i = j;
    } else if (cls === CLASS_LETTER) {
      let j = i + 1;
      while (j < len && charClass(s, j) === CLASS_LETTER) j++;
      kinds[n] = WORD;
      starts[n] = i;
      ends[n++] = j;
      i = j;
    } else if (cls === CLASS_COMMENT) {
      const close = s.indexOf(')', i + 1);
      i = close === -1 ? len : close + 1;
    } else if (cls === CLASS_PUNCT) {
      kinds[n] = PUNCT;
      values[n] = s.charCodeAt(i);
      starts[n] = i;
      ends[n++] = i + 1;
      i++;
    } else {
      i++; // whitespace and any other character only separate tokens
    }
  }
  return n;
}

function isPunct(t: number, n: number, c: number): boolean {
  return t < n && kinds[t] === PUNCT && values[t] === c;
}

function numLen(t: number): number {
  return ends[t]! - starts[t]!;
}

function isNum(t: number, n: number, minLen = 1, maxLen = 9): boolean {
  if (t >= n || kinds[t] !== NUM) return false;
  const l = numLen(t);
  return l >= minLen && l <= maxLen;
}

/** The value of the decimal digits s[from, to). */
function digitsValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + s.charCodeAt(i) - 0x30;
  return v;
}

/** The fields being assembled; -1 = not seen. Module-level to keep parseDate allocation-free. */
const f = {
  year: -1,
  month: -1,
  day: -1,
  ordinal: -1,
  hour: -1,
  minute: 0,
  second: 0,
  ms: 0,
  offset: Number.NaN,
};

function resetFields(): void {
  f.year = f.month = f.day = f.ordinal = f.hour = -1;
  f.minute = f.second = f.ms = 0;
  f.offset = Number.NaN;
}

/** Milliseconds from a fraction's digits (`5` → 500, `123456` → 123). */
function fractionMs(s: string, t: number): number {
  const from = starts[t]!;
  const to = Math.min(ends[t]!, from + 3);
  return digitsValue(s, from, to) * 10 ** (3 - (to - from));
}

/** hh:mm[:ss[.frac]] at t (t is the hour). Returns the next token index, or -1 when impossible. */
function readTime(s: string, t: number, n: number): number {
  const hour = values[t]!;
  const minute = values[t + 2]!;
  t += 3;
  let second = 0;
  let ms = 0;
  if (isPunct(t, n, 0x3a) && isNum(t + 1, n, 1, 2)) {
    second = values[t + 1]!;
    t += 2;
    if ((isPunct(t, n, 0x2e) || isPunct(t, n, 0x2c)) && isNum(t + 1, n, 1, 99) && starts[t + 1] === ends[t]) {
      ms = fractionMs(s, t + 1);
      t += 2;
    }
  }
  if (!setTime(hour, minute, second, ms)) return -1;
  return t;
}

function setTime(hour: number, minute: number, second: number, ms: number): boolean {
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0 || ms > 0)))
    return false;
  f.hour = hour;
  f.minute = minute;
  f.second = second === 60 ? 59 : second; // a leap second stays within its minute
  f.ms = ms;
  return true;
}

/** Basic-format time after `T`: hh, hhmm or hhmmss[.frac]. */
function readBasicTime(s: string, t: number, n: number): number {
  const at = starts[t]!;
  const l = numLen(t);
  const hour = digitsValue(s, at, at + 2);
  const minute = l >= 4 ? digitsValue(s, at + 2, at + 4) : 0;
  const second = l === 6 ? digitsValue(s, at + 4, at + 6) : 0;
  t++;
  let ms = 0;
  if (
    l === 6 &&
    (isPunct(t, n, 0x2e) || isPunct(t, n, 0x2c)) &&
    isNum(t + 1, n, 1, 99) &&
    starts[t + 1] === ends[t]
  ) {
    ms = fractionMs(s, t + 1);
    t += 2;
  }
  return setTime(hour, minute, second, ms) ? t : -1;
}

/** ±hh[:mm] / ±hhmm at t (t is the sign). Returns the next token index, or -1 when out of range. */
function readOffset(t: number, n: number): number {
  const sign = values[t] === 0x2d ? -1 : 1;
  const l = numLen(t + 1);
  let hours: number;
  let minutes = 0;
  let next = t + 2;
  if (l <= 2) {
    hours = values[t + 1]!;
    if (isPunct(next, n, 0x3a) && isNum(next + 1, n, 2, 2)) {
      minutes = values[next + 1]!;
      next += 2;
    }
  } else if (l === 4) {
    hours = Math.floor(values[t + 1]! / 100);
    minutes = values[t + 1]! % 100;
  } else return -1;
  if (minutes > 59) return -1;
  const offset = sign * (hours * 60 + minutes);
  if (Math.abs(offset) > MAX_OFFSET_MINUTES) return -1;
  f.offset = (Number.isNaN(f.offset) ? 0 : f.offset) + offset;
  return next;
}

// Fast paths for the two shapes nearly every feed writes, read by position: the general scanner below
// costs about 1 µs a date, these a tenth of that. Anything else falls through to the scanner.

function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at i as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** `Z`, `±hh:mm` or `±hhmm` from i to the end of s; false when it is anything else. */
function readZoneTail(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if ((c === 0x5a || c === 0x7a) && i + 1 === s.length) {
    f.offset = 0;
    return true;
  }
  if (c !== 0x2b && c !== 0x2d) return false;
  const hours = twoDigits(s, i + 1);
  const colon = s.charCodeAt(i + 3) === 0x3a ? 1 : 0;
  const minutes = twoDigits(s, i + 3 + colon);
  if (hours < 0 || minutes < 0 || minutes > 59 || i + 5 + colon !== s.length) return false;
  const offset = hours * 60 + minutes;
  if (offset > MAX_OFFSET_MINUTES) return false;
  f.offset = c === 0x2d ? -offset : offset;
  return true;
}

/** `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.123+02:00`. */
function readCanonicalIso(s: string): boolean {
  if (s.length < 20 || s.length > 40) return false;
  const c10 = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || (c10 !== 0x54 && c10 !== 0x74)) return false;
  if (s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return false;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return false;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 0x2e) {
    let scale = 100;
    i++;
    for (let d = digitAt(s, i); d >= 0; d = digitAt(s, ++i)) {
      ms += d * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  if (!readZoneTail(s, i) || !setTime(hour, minute, second, ms)) return false;
  f.year = year;
  f.month = month;
  f.day = day;
  return true;
}

/** 3-letter English month names packed as three lowercase char codes. */
const PACKED_MONTHS = new Map<number, number>(
  MONTH_NAMES_EN.map((name, k) => [packLower3(name, 0), k + 1] as [number, number]),
);

function packLower3(s: string, i: number): number {
  return (
    ((s.charCodeAt(i) | 0x20) << 16) | ((s.charCodeAt(i + 1) | 0x20) << 8) | (s.charCodeAt(i + 2) | 0x20)
  );
}

/** `Wed, 01 May 2024 12:00:00 GMT` or `… +0000`, day of one or two digits. */
function readCanonicalRfc822(s: string): boolean {
  if (s.length < 27 || s.length > 32 || s.charCodeAt(3) !== 0x2c || s.charCodeAt(4) !== 0x20) return false;
  let i = 5;
  let day = digitAt(s, i);
  if (day < 0) return false;
  const d2 = digitAt(s, i + 1);
  if (d2 >= 0) {
    day = day * 10 + d2;
    i++;
  }
  i++;
  if (s.charCodeAt(i) !== 0x20 || s.charCodeAt(i + 4) !== 0x20 || s.charCodeAt(i + 9) !== 0x20) return false;
  const month = PACKED_MONTHS.get(packLower3(s, i + 1));
  const year = twoDigits(s, i + 5) * 100 + twoDigits(s, i + 7);
  i += 10;
  if (month === undefined || year < 0 || s.charCodeAt(i + 2) !== 0x3a || s.charCodeAt(i + 5) !== 0x3a)
    return false;
  const hour = twoDigits(s, i);
  const minute = twoDigits(s, i + 3);
  const second = twoDigits(s, i + 6);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(i + 8) !== 0x20) return false;
  i += 9;
  if (s.charCodeAt(i) === 0x2b || s.charCodeAt(i) === 0x2d) {
    if (!readZoneTail(s, i)) return false;
  } else {
    const zone = ZONE_WORDS.get(s.slice(i).toLowerCase());
    if (zone === undefined) return false;
    f.offset = zone;
  }
  if (!setTime(hour, minute, second, 0)) return false;
  f.year = year;
  f.month = month;
  f.day = day;
  return true;
}

/** A date as feeds write it → an instant, or null when it cannot be read. */
export function parseDate(value: string): Date | null {
  resetFields();
  if (readCanonicalIso(value) || readCanonicalRfc822(value)) return buildDate();
  resetFields();
  const s = value.length > MAX_SCAN ? value.slice(0, MAX_SCAN) : value;
  const n = tokenize(s);

  // Numbers that belong to no structure (day and year around a month word), and month words seen.
  let looseCount = 0;
  const looseAt = [-1, -1, -1, -1];
  let monthWords = 0;
  const monthAt = [-1, -1, -1];
  const monthValue = [0, 0, 0];
  let zoneWordAt = -1;
  let structuredDate = false;

  let t = 0;
  while (t < n) {
    const kind = kinds[t];
    if (kind === NUM) {
      const l = numLen(t);
      // hh:mm[:ss[.frac]]
      if (l <= 2 && f.hour < 0 && isPunct(t + 1, n, 0x3a) && isNum(t + 2, n, 2, 2)) {
        t = readTime(s, t, n);
        if (t < 0) return null;
        continue;
      }
      if (!structuredDate && f.year < 0) {
        // YYYY-MM[-DD], YYYY-DDD, YYYY/MM/DD, YYYY.MM.DD
        const sep = kinds[t + 1] === PUNCT ? values[t + 1]! : 0;
        if (l === 4 && (sep === 0x2d || sep === 0x2f || sep === 0x2e) && isNum(t + 2, n, 1, 3)) {
          f.year = values[t]!;
          if (numLen(t + 2) === 3) {
            f.ordinal = values[t + 2]!;
            t += 3;
          } else {
            f.month = values[t + 2]!;
            t += 3;
            if (isPunct(t, n, sep) && isNum(t + 1, n, 1, 2)) {
              f.day = values[t + 1]!;
              t += 2;
            } else if (sep !== 0x2d) return null; // year-month only in ISO form
          }
          structuredDate = true;
          continue;
        }
        // YYYYMMDD and YYYYDDD (basic format)
        if ((l === 8 || l === 7) && looseCount === 0 && monthWords === 0) {
          const at = starts[t]!;
          f.year = digitsValue(s, at, at + 4);
          if (l === 8) {
            f.month = digitsValue(s, at + 4, at + 6);
            f.day = digitsValue(s, at + 6, at + 8);
          } else f.ordinal = digitsValue(s, at + 4, at + 7);
          structuredDate = true;
          t++;
          continue;
        }
        // DD.MM.YYYY, DD-MM-YYYY, MM/DD/YYYY (DD/MM/YYYY when the first cannot be a month)
        if (l <= 2 && (sep === 0x2f || sep === 0x2e || sep === 0x2d) && isNum(t + 2, n, 1, 2)) {
          if (isPunct(t + 3, n, sep) && (isNum(t + 4, n, 4, 4) || isNum(t + 4, n, 2, 2))) {
            const a = values[t]!;
            const b = values[t + 2]!;
            const dayFirst = sep !== 0x2f || a > 12; // only the slash form is read US-style
            f.day = dayFirst ? a : b;
            f.month = dayFirst ? b : a;
            f.year = numLen(t + 4) === 4 ? values[t + 4]! : twoDigitYear(values[t + 4]!);
            structuredDate = true;
            t += 5;
            continue;
          }
        }
      }
      // Basic time right after the `T` of a basic or extended date
      if (structuredDate && f.hour < 0 && (l === 2 || l === 4 || l === 6) && isWord(s, t - 1, n, 't')) {
        t = readBasicTime(s, t, n);
        if (t < 0) return null;
        continue;
      }
      if (l <= 4 && looseCount < 4) looseAt[looseCount++] = t;
      t++;
      continue;
    }

    if (kind === PUNCT) {
      const c = values[t]!;
      // ±hh[:mm] / ±hhmm: a zone once a time or a date is known, or right after GMT/UTC
      if (
        (c === 0x2b || c === 0x2d) &&
        isNum(t + 1, n, 1, 4) &&
        (f.hour >= 0 || f.year >= 0 || zoneWordAt === t - 1)
      ) {
        t = readOffset(t, n);
        if (t < 0) return null;
        continue;
      }
      t++;
      continue;
    }

    // WORD
    const w = s.slice(starts[t]!, ends[t]!).toLowerCase();
    const wl = w.length;
    if (
      f.hour >= 0 &&
      (w === 'am' ||
        w === 'pm' ||
        ((w === 'a' || w === 'p') && isPunct(t + 1, n, 0x2e) && isWord(s, t + 2, n, 'm')))
    ) {
      if (f.hour === 0 || f.hour > 12) return null;
      const pm = w.charCodeAt(0) === 0x70;
      if (pm && f.hour < 12) f.hour += 12;
      else if (!pm && f.hour === 12) f.hour = 0;
      t += wl === 1 ? 3 : 1;
      continue;
    }
    const zone = ZONE_WORDS.get(w);
    if (zone !== undefined && (wl > 1 || f.hour >= 0)) {
      if (Number.isNaN(f.offset)) {
        f.offset = zone;
        zoneWordAt = t;
      }
      t++;
      continue;
    }
    if (wl === 1 && f.hour >= 0 && Number.isNaN(f.offset)) {
      const military = militaryZone(w.charCodeAt(0));
      if (military !== undefined) f.offset = military;
      t++;
      continue;
    }
    const month = MONTH_WORDS.get(w);
    if (month !== undefined && monthWords < 3) {
      monthAt[monthWords] = t;
      monthValue[monthWords++] = month;
    }
    t++; // day names, "T", "at", "on" and other words are read past
  }

  if (!structuredDate) {
    if (monthWords === 0) {
      // A bare year (W3CDTF "1997"), and nothing else
      if (n === 1 && looseCount === 1 && numLen(0) === 4 && s.trim().length === 4) {
        f.year = values[0]!;
        f.month = 1;
        f.day = 1;
      } else return null;
    } else if (!assignAroundMonthWord(looseCount, looseAt, monthWords, monthAt, monthValue)) return null;
  }
  return buildDate();
}

function isWord(s: string, t: number, n: number, lower: string): boolean {
  return t >= 0 && t < n && kinds[t] === WORD && s.slice(starts[t]!, ends[t]!).toLowerCase() === lower;
}

/** RFC 2822 §4.3: 00–49 are 2000–2049, 50–99 are 1950–1999. */
function twoDigitYear(y: number): number {
  return y < 50 ? 2000 + y : 1900 + y;
}

/**
 * "01 Jan 2004", "Jan 1, 2004", "Thu Jan 01 19:48:21 2004": a month word with a day and a year
 * among the loose numbers. The month word taken is the one nearest a number (so in "mar, 01 ene 2004"
 * the Spanish day name "mar" does not pass for March); the day is the 1–2 digit number nearest it.
 */
function assignAroundMonthWord(
  looseCount: number,
  looseAt: number[],
  monthWords: number,
  monthAt: number[],
  monthValue: number[],
): boolean {
  let pick = 0;
  let nearest = Number.POSITIVE_INFINITY;
  for (let m = 0; m < monthWords; m++) {
    for (let k = 0; k < looseCount; k++) {
      const distance = Math.abs(looseAt[k]! - monthAt[m]!);
      if (distance < nearest) {
        nearest = distance;
        pick = m;
      }
    }
  }
  f.month = monthValue[pick]!;
  const monthToken = monthAt[pick]!;

  let dayIdx = -1;
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < looseCount; k++) {
    const distance = Math.abs(looseAt[k]! - monthToken);
    if (numLen(looseAt[k]!) <= 2 && distance < best) {
      best = distance;
      dayIdx = k;
    }
  }
  if (dayIdx < 0) return false;
  f.day = values[looseAt[dayIdx]!]!;

  // The rest hold the year: the first of 3+ digits, else the last two-digit number.
  let yearIdx = -1;
  for (let k = 0; k < looseCount && yearIdx < 0; k++)
    if (k !== dayIdx && numLen(looseAt[k]!) >= 3) yearIdx = k;
  const last = looseCount - 1;
  if (
    f.hour < 0 &&
    yearIdx === last &&
    last >= 2 &&
    last - 1 !== dayIdx &&
    numLen(looseAt[last - 1]!) === 2
  ) {
    // "03 Apr 02 1500 GMT": obsolete RFC 822 with a two-digit year and an hhmm time
    const hhmm = values[looseAt[last]!]!;
    if (numLen(looseAt[last]!) === 4 && setTime(Math.floor(hhmm / 100), hhmm % 100, 0, 0)) yearIdx = -1;
  }
  if (yearIdx >= 0) {
    const y = values[looseAt[yearIdx]!]!;
    f.year = numLen(looseAt[yearIdx]!) === 3 ? 1900 + y : y; // RFC 2822 obsolete 3-digit years
    return true;
  }
  for (let k = last; k >= 0; k--) {
    if (k !== dayIdx && numLen(looseAt[k]!) === 2) {
      f.year = twoDigitYear(values[looseAt[k]!]!);
      return true;
    }
  }
  return false;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function buildDate(): Date | null {
  const { year } = f;
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) return null;
  let month = f.month;
  let day = f.day;
  if (f.ordinal >= 0) {
    const leap = daysInMonth(year, 2) === 29;
    if (f.ordinal < 1 || f.ordinal > (leap ? 366 : 365)) return null;
    month = 1;
    day = f.ordinal;
  } else {
    if (!(month >= 1 && month <= 12)) return null;
    if (day < 0) day = 1; // year-month
    if (day < 1 || day > daysInMonth(year, month)) return null;
  }
  const hour = Math.max(f.hour, 0);
  const offset = Number.isNaN(f.offset) ? 0 : f.offset;
  const seconds =
    daysFromCivil(year, month, day) * 86_400 + hour * 3600 + (f.minute - offset) * 60 + f.second;
  return new Date(seconds * 1000 + f.ms);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; cheaper than Date.UTC). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}
