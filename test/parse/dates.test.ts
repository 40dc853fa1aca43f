import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDate } from '../../src/parse/dates.js';
import { formatRfc3339 } from '../../src/rfc3339.js';
import { seededRandom } from '../../src/schedule/index.js';

/** Each input must read as the given instant (RFC 3339, UTC). */
function expectAll(cases: [string, string][]): void {
  for (const [input, want] of cases) {
    const d = parseDate(input);
    assert.ok(d, `${JSON.stringify(input)} did not parse`);
    assert.equal(formatRfc3339(d), want, JSON.stringify(input));
  }
}

test('RFC 822/2822 and the ways feeds bend it', () => {
  expectAll([
    ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Thu, 1 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['THU, 01 JAN 2004 19:48:21 gmt', '2004-01-01T19:48:21Z'],
    ['Thursday, 01 January 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Thr, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Thurs, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Thu,01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Thu 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Thu, 01 Jan 2004 19:48 GMT', '2004-01-01T19:48:00Z'],
    ['Thu, 01 Jan 2004', '2004-01-01T00:00:00Z'],
    ['Thu, 01 Sept 2004 19:48:21 GMT', '2004-09-01T19:48:21Z'],
    ['Thu, 01 Sep. 2004 19:48:21 GMT', '2004-09-01T19:48:21Z'],
    ['Thu,  01  Jan   2004  19:48:21  GMT', '2004-01-01T19:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21', '2004-01-01T19:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21.250 GMT', '2004-01-01T19:48:21.250Z'],
    ['Thursday, 01-Jan-04 19:48:21 GMT', '2004-01-01T19:48:21Z'], // RFC 850
  ]);
});

test('two-digit years follow RFC 2822 (00–49 → 20xx, 50–99 → 19xx); three-digit years add 1900', () => {
  expectAll([
    ['Thu, 01 Jan 04 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['Wed, 01 Jan 49 00:00:00 GMT', '2049-01-01T00:00:00Z'],
    ['Sun, 01 Jan 50 00:00:00 GMT', '1950-01-01T00:00:00Z'],
    ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37Z'],
    ['Thu, 01 Jan 104 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00Z'],
    ['01/05/24', '2024-01-05T00:00:00Z'],
  ]);
});

test('numeric zones: +hhmm, ±hh:mm, ±hh, GMT+h, UTC-hh:mm', () => {
  expectAll([
    ['Thu, 01 Jan 2004 19:48:21 +0000', '2004-01-01T19:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 -0000', '2004-01-01T19:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 -0500', '2004-01-02T00:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 +0530', '2004-01-01T14:18:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 +05:30', '2004-01-01T14:18:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 +05', '2004-01-01T14:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 GMT+7', '2004-01-01T12:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 GMT+0100', '2004-01-01T18:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 UTC-05:00', '2004-01-02T00:48:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 GMT+5:30', '2004-01-01T14:18:21Z'],
    ['Thu, 01 Jan 2004 19:48:21 -0500 (EST)', '2004-01-02T00:48:21Z'],
  ]);
});

test('named zones: UT, GMT, Z, North American, military letters and common world zones', () => {
  const at = (zone: string) => `Thu, 01 Jan 2004 12:00:00 ${zone}`;
  expectAll([
    [at('UT'), '2004-01-01T12:00:00Z'],
    [at('UTC'), '2004-01-01T12:00:00Z'],
    [at('Z'), '2004-01-01T12:00:00Z'],
    [at('EST'), '2004-01-01T17:00:00Z'],
    [at('EDT'), '2004-01-01T16:00:00Z'],
    [at('CST'), '2004-01-01T18:00:00Z'],
    [at('CDT'), '2004-01-01T17:00:00Z'],
    [at('MST'), '2004-01-01T19:00:00Z'],
    [at('MDT'), '2004-01-01T18:00:00Z'],
    [at('PST'), '2004-01-01T20:00:00Z'],
    [at('PDT'), '2004-01-01T19:00:00Z'],
    [at('ET'), '2004-01-01T17:00:00Z'],
    [at('A'), '2004-01-01T11:00:00Z'],
    [at('M'), '2004-01-01T00:00:00Z'],
    [at('N'), '2004-01-01T13:00:00Z'],
    [at('Y'), '2004-01-02T00:00:00Z'],
    [at('CET'), '2004-01-01T11:00:00Z'],
    [at('CEST'), '2004-01-01T10:00:00Z'],
    [at('BST'), '2004-01-01T11:00:00Z'],
    [at('IST'), '2004-01-01T06:30:00Z'],
    [at('JST'), '2004-01-01T03:00:00Z'],
    [at('AEST'), '2004-01-01T02:00:00Z'],
    [at('NZDT'), '2003-12-31T23:00:00Z'],
    [at('MSK'), '2004-01-01T09:00:00Z'],
  ]);
});

test('ISO 8601 / W3CDTF: extended and basic, fractions, date-only, year-month, ordinal', () => {
  expectAll([
    ['2003-12-31T10:14:55Z', '2003-12-31T10:14:55Z'],
    ['2003-12-31T10:14:55+00:00', '2003-12-31T10:14:55Z'],
    ['2004-04-06T23:05:43-05:00', '2004-04-07T04:05:43Z'],
    ['2003-12-31T10:14:55+0530', '2003-12-31T04:44:55Z'],
    ['2003-12-31T10:14Z', '2003-12-31T10:14:00Z'],
    ['2003-12-31 10:14:55Z', '2003-12-31T10:14:55Z'],
    ['2003-12-31t10:14:55z', '2003-12-31T10:14:55Z'],
    ['2003-12-31T10:14:55.5Z', '2003-12-31T10:14:55.500Z'],
    ['2003-12-31T10:14:55,25Z', '2003-12-31T10:14:55.250Z'],
    ['2003-12-31T10:14:55.123456789+01:00', '2003-12-31T09:14:55.123Z'],
    ['2003-12-31T10:14:55.000Z', '2003-12-31T10:14:55Z'],
    ['20031231T101455Z', '2003-12-31T10:14:55Z'],
    ['20031231T1014Z', '2003-12-31T10:14:00Z'],
    ['20031231T101455-0500', '2003-12-31T15:14:55Z'],
    ['20031231', '2003-12-31T00:00:00Z'],
    ['2003-12-31', '2003-12-31T00:00:00Z'],
    ['2003-12', '2003-12-01T00:00:00Z'],
    ['2003', '2003-01-01T00:00:00Z'],
    ['2004-366', '2004-12-31T00:00:00Z'],
    ['2004-060', '2004-02-29T00:00:00Z'],
    ['2004060', '2004-02-29T00:00:00Z'],
    ['2004-07-08 23:56:58.0', '2004-07-08T23:56:58Z'], // MSSQL
    ['2004-02-29T24:00:00Z', '2004-03-01T00:00:00Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59Z'],
  ]);
});

test('a date without a zone is taken as UTC', () => {
  expectAll([
    ['2024-05-01T12:00:00', '2024-05-01T12:00:00Z'],
    ['2024-05-01 12:00', '2024-05-01T12:00:00Z'],
    ['01 May 2024 12:00', '2024-05-01T12:00:00Z'],
  ]);
});

test('other layouts: asctime, JavaScript Date#toString, Perforce, numeric dates, AM/PM', () => {
  expectAll([
    ['Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06Z'],
    ['Sun Jan  4 16:29:06 PST 2004', '2004-01-05T00:29:06Z'],
    ['Thu Jan 01 2004 19:48:21 GMT+0100 (Central European Standard Time)', '2004-01-01T18:48:21Z'],
    ['Fri, 2006/09/15 08:19:53 EDT', '2006-09-15T12:19:53Z'],
    ['2006.09.15', '2006-09-15T00:00:00Z'],
    ['15.09.2006 08:19', '2006-09-15T08:19:00Z'],
    ['15-09-2006', '2006-09-15T00:00:00Z'],
    ['09/15/2006', '2006-09-15T00:00:00Z'],
    ['15/09/2006', '2006-09-15T00:00:00Z'],
    ['Tuesday, June 10, 2003 4:00 PM', '2003-06-10T16:00:00Z'],
    ['June 10, 2003 12:30 am', '2003-06-10T00:30:00Z'],
    ['June 10, 2003 12:30 p.m. EDT', '2003-06-10T16:30:00Z'],
    ['Jun 10 2003', '2003-06-10T00:00:00Z'],
    ['2003 Jun 10', '2003-06-10T00:00:00Z'],
  ]);
});

test('month and day names in other common languages', () => {
  expectAll([
    ['Mo, 01 Okt 2004 10:00:00 +0200', '2004-10-01T08:00:00Z'],
    ['1. März 2004', '2004-03-01T00:00:00Z'],
    ['Di, 07 Dez 2004 10:00:00 GMT', '2004-12-07T10:00:00Z'],
    ['lun., 06 déc. 2004 10:00:00 +0100', '2004-12-06T09:00:00Z'],
    ['1er août 2004', '2004-08-01T00:00:00Z'],
    ['3 févr. 2004', '2004-02-03T00:00:00Z'],
    ['mar, 06 ene 2004 10:00:00 GMT', '2004-01-06T10:00:00Z'],
    ['sáb, 11 dic 2004 10:00:00 GMT', '2004-12-11T10:00:00Z'],
    ['gio, 02 mag 2004 10:00:00 GMT', '2004-05-02T10:00:00Z'],
    ['seg, 04 out 2004 10:00:00 GMT', '2004-10-04T10:00:00Z'],
    ['ma 01 mrt 2004', '2004-03-01T00:00:00Z'],
  ]);
});

test('text around the date is read past', () => {
  expectAll([
    ['  Thu, 01 Jan 2004 19:48:21 GMT  ', '2004-01-01T19:48:21Z'],
    ['\n\t2003-12-31T10:14:55Z\n', '2003-12-31T10:14:55Z'],
    ['Published: 2003-12-31T10:14:55Z', '2003-12-31T10:14:55Z'],
    ['Posted on Thu, 01 Jan 2004 19:48:21 -0800 (PST)', '2004-01-02T03:48:21Z'],
    ['Last updated: June 10, 2003 at 4:00 PM', '2003-06-10T16:00:00Z'],
    ['2003-12-31T10:14:55Z (approx.) rev 12', '2003-12-31T10:14:55Z'],
  ]);
});

test('impossible, incomplete and out-of-range dates are null', () => {
  for (const input of [
    '',
    '   ',
    'not a date',
    'yesterday',
    '19:48:21',
    'Jan 2004',
    'Thu, 01 Foo 2004 19:48:21 GMT',
    '2004-13-01',
    '2004-00-10',
    '2004-01-32',
    '2003-02-29',
    '2100-02-29',
    'Thu, 32 Jan 2004 19:48:21 GMT',
    'Thu, 31 Apr 2004 19:48:21 GMT',
    'Mon, 31 Feb 2004 10:00:00 GMT',
    'Thu, 01 Jan 2004 25:00:00 GMT',
    'Thu, 01 Jan 2004 19:60:00 GMT',
    'Thu, 01 Jan 2004 19:48:61 GMT',
    '2004-01-01T24:30:00Z',
    '2004-02-30T10:00:00Z',
    '2004-01-01T10:00:00.5+2500',
    '2004-01-01T10:00:00+05:60',
    'Thu, 30 Feb 2004 10:00:00 GMT',
    'Thu, 01 Jan 2004 24:30:00 GMT',
    'Thu, 01 Jan 2004 10:00:00 +1900',
    'Thu, 01 Jab 2004 10:00:00 GMT',
    '2003-365T10:00:00Z'.replace('365', '366'),
    '2004-000',
    'Thu, 01 Jan 2004 19:48:21 +9999',
    '2004-01-01T12:00:00+25:00',
    '2004-01-01T12:00:00+05:75',
    '0999-12-31T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '-271821-04-19T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    'Mon, 31 Feb 99999999 25:61:61 +9999',
    '9'.repeat(5000),
    'Mon, '.repeat(20000),
    '2004-'.repeat(1000),
    'T12:00:00Z'.repeat(1000),
    '((((((((((((('.repeat(1000),
    '--++::..,,//'.repeat(1000),
  ]) {
    const d = parseDate(input);
    assert.equal(d, null, `${JSON.stringify(input.slice(0, 60))} → ${d?.toISOString()}`);
  }
});

test('formatRfc3339: UTC with Z, seconds precision, milliseconds only when non-zero', () => {
  assert.equal(formatRfc3339(new Date(Date.UTC(2024, 4, 1, 12, 0, 0))), '2024-05-01T12:00:00Z');
  assert.equal(formatRfc3339(new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 7))), '2024-05-01T12:00:00.007Z');
  assert.equal(formatRfc3339(new Date('1999-12-31T23:59:59.999-01:00')), '2000-01-01T00:59:59.999Z');
  assert.throws(() => formatRfc3339(new Date(Number.NaN)), RangeError);
  const d = parseDate('Thu, 01 Jan 2004 19:48:21 +0530')!;
  assert.equal(parseDate(formatRfc3339(d))!.getTime(), d.getTime());
});

test('formatRfc3339 writes what Date#toISOString does, for any instant of any year', () => {
  const random = seededRandom(3339);
  const expected = (d: Date) =>
    d.getTime() % 1000 === 0 ? `${d.toISOString().slice(0, -5)}Z` : d.toISOString();
  const edges = [
    0, -1, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, -30_610_224_000_001, 253_402_300_800_000,
  ];
  const instants = [
    ...edges,
    ...Array.from({ length: 50_000 }, () => Math.round((random() * 2 - 1) * 2.6e14)),
  ];
  for (const t of instants) assert.equal(formatRfc3339(new Date(t)), expected(new Date(t)), String(t));
});

const shared = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

test('hostile pathological dates are all unreadable', {
  skip: !existsSync(`${shared}hostile/pathological-dates.xml`) && 'shared corpus absent',
}, () => {
  const xml = readFileSync(`${shared}hostile/pathological-dates.xml`, 'utf8');
  const dates = [...xml.matchAll(/<(pubDate|dc:date)[^>]*>([^<]*)</g)].map((m) => m[2]!);
  assert.equal(dates.length, 4);
  for (const d of dates) assert.equal(parseDate(d), null, d.slice(0, 60));
});
