import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, test } from 'node:test';
import { blockedRange, checkUrl } from '../../src/fetch/address-guard.js';
import { BlockedAddressError, createGuardedLookup } from '../../src/fetch/http-client.js';
import { MAX_URL_LENGTH } from '../../src/limits.js';

describe('blockedRange', () => {
  // First, last-ish and a middle address of every range the guard must refuse.
  const blocked: [string, string][] = [
    ['0.0.0.0', '0.0.0.0/8'],
    ['0.255.1.2', '0.0.0.0/8'],
    ['10.0.0.1', '10.0.0.0/8'],
    ['10.255.255.255', '10.0.0.0/8'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['100.127.255.254', '100.64.0.0/10'],
    ['127.0.0.1', '127.0.0.0/8'],
    ['127.255.255.254', '127.0.0.0/8'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.0.0.8', '192.0.0.0/24'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['198.18.0.1', '198.18.0.0/15'],
    ['198.19.255.255', '198.18.0.0/15'],
    ['224.0.0.1', '224.0.0.0/4'],
    ['239.255.255.250', '224.0.0.0/4'],
    ['240.0.0.1', '240.0.0.0/4'],
    ['255.255.255.255', '240.0.0.0/4'],
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['fc00::1', 'fc00::/7'],
    ['fd12:3456:789a::1', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['febf:ffff::1', 'fe80::/10'],
    ['ff02::1', 'ff00::/8'],
    ['::ffff:127.0.0.1', '127.0.0.0/8'],
    ['::ffff:7f00:1', '127.0.0.0/8'],
    ['::ffff:a9fe:a9fe', '169.254.0.0/16'],
    ['64:ff9b::10.0.0.1', '10.0.0.0/8'],
    ['64:ff9b::a9fe:a9fe', '169.254.0.0/16'],
    ['2002:7f00:1::', '127.0.0.0/8'],
    ['2002:c0a8:101::1', '192.168.0.0/16'],
    ['::127.0.0.1', '127.0.0.0/8'],
    ['::a00:1', '10.0.0.0/8'],
    ['[::1]', '::1/128'],
  ];
  for (const [address, range] of blocked) {
    test(`refuses ${address} (${range})`, () => {
      const why = blockedRange(address);
      assert.ok(why?.includes(range), `${address}: got ${why}`);
    });
  }

  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.1',
    '192.0.2.1',
    '192.167.255.255',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    'fbff::1',
    'fec0::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ];
  for (const address of allowed) {
    test(`allows public ${address}`, () => assert.equal(blockedRange(address), undefined));
  }

  test('refuses what is not an IP address (fail closed)', () => {
    assert.ok(blockedRange('example.org'));
    assert.ok(blockedRange('fe80::1%eth0'));
    assert.ok(blockedRange(''));
  });
});

describe('checkUrl', () => {
  const spellings = [
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://0x7f000001/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::1]:8080/feed',
    'https://169.254.169.254/latest/meta-data/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://0/',
  ];
  for (const url of spellings) {
    test(`refuses ${url}`, () => {
      const result = checkUrl(url, false);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error, 'blocked-address');
    });
  }

  test('the same spellings pass when private networks are allowed', () => {
    for (const url of spellings) assert.equal(checkUrl(url, true).ok, true, url);
  });

  test('other host names pass here; their addresses are checked at connect time', () => {
    assert.equal(checkUrl('https://example.org/feed.xml', false).ok, true);
    assert.equal(checkUrl('https://localhost.example.org/feed.xml', false).ok, true);
  });

  for (const url of [
    'http://localhost/',
    'http://localhost./',
    'http://LocalHost:8080/',
    'http://api.localhost/',
  ]) {
    test(`refuses the localhost name in ${url}`, () => {
      const result = checkUrl(url, false);
      assert.equal(!result.ok && result.error, 'blocked-address');
      assert.equal(checkUrl(url, true).ok, true);
    });
  }

  for (const url of [
    'file:///etc/passwd',
    'ftp://example.org/feed',
    'gopher://x/',
    'data:text/xml,<rss/>',
    'javascript:alert(1)',
  ]) {
    test(`refuses the scheme of ${url}`, () => {
      const result = checkUrl(url, true);
      assert.equal(!result.ok && result.error, 'bad-scheme');
    });
  }

  test('refuses URLs over 8 KiB and relative or broken URLs', () => {
    const long = `https://example.org/${'a'.repeat(MAX_URL_LENGTH)}`;
    const result = checkUrl(long, true);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /longer than 8192/);
    assert.equal(checkUrl(`https://example.org/${'a'.repeat(MAX_URL_LENGTH - 30)}`, true).ok, true);
    assert.equal(checkUrl('/feed.xml', true).ok, false);
    assert.equal(checkUrl('http://exa mple.org/', true).ok, false);
  });

  test('reasons never carry the password of the URL', () => {
    const result = checkUrl('http://alice:s3cret@127.0.0.1/feed', false);
    assert.equal(result.ok, false);
    assert.doesNotMatch(!result.ok ? result.reason : '', /s3cret/);
  });
});

describe('createGuardedLookup', () => {
  /** A resolver that answers from a table, as DNS would — including answers that change between queries. */
  function fakeResolver(answers: string[][]): LookupFunction {
    let query = 0;
    return (_hostname, options, callback) => {
      const answer = answers[Math.min(query++, answers.length - 1)]!;
      const records: LookupAddress[] = answer.map((address) => ({
        address,
        family: address.includes(':') ? 6 : 4,
      }));
      if (options.all) callback(null, records);
      else callback(null, records[0]!.address, records[0]!.family);
    };
  }
  const run = (lookup: LookupFunction, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((resolve) =>
      lookup('feeds.example', { all }, (err, address) => resolve({ err, address })),
    );

  test('passes public answers through unchanged, single and all', async () => {
    const lookup = createGuardedLookup(fakeResolver([['93.184.216.34', '2606:2800:220:1::1']]));
    assert.deepEqual(await run(lookup, false), { err: null, address: '93.184.216.34' });
    const all = await run(lookup, true);
    assert.equal(all.err, null);
    assert.equal((all.address as LookupAddress[]).length, 2);
  });

  test('refuses a name with a public and a private record', async () => {
    const lookup = createGuardedLookup(fakeResolver([['93.184.216.34', '10.1.2.3']]));
    const { err } = await run(lookup, true);
    assert.ok(err instanceof BlockedAddressError);
    assert.match(err.message, /feeds\.example resolves to 10\.1\.2\.3.*10\.0\.0\.0\/8/);
    assert.match(err.message, /TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1/, 'says how to allow it');
  });

  test('refuses IPv4-mapped IPv6 answers for loopback', async () => {
    const { err } = await run(createGuardedLookup(fakeResolver([['::ffff:127.0.0.1']])), false);
    assert.ok(err instanceof BlockedAddressError);
  });

  test('checks every query, so a rebinding answer on the second lookup is refused', async () => {
    const lookup = createGuardedLookup(fakeResolver([['93.184.216.34'], ['169.254.169.254']]));
    assert.equal((await run(lookup, false)).err, null);
    const second = await run(lookup, false);
    assert.ok(second.err instanceof BlockedAddressError);
    assert.match(second.err.message, /169\.254\.169\.254/);
  });

  test('passes resolver errors through', async () => {
    const failing: LookupFunction = (hostname, _options, callback) =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    const { err } = await run(createGuardedLookup(failing), false);
    assert.equal(err?.code, 'ENOTFOUND');
  });
});
