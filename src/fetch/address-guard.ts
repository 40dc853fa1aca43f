/**
 * Which addresses and URLs a server-side fetch may reach (SSRF guard). Pure: no DNS, no I/O.
 * The connect-time check in http-client.ts runs `blockedRange` on every address DNS returns;
 * `checkUrl` runs on every hop before a request is made, so IP-literal hosts never reach a socket.
 */
import { isIP } from 'node:net';
import { MAX_URL_LENGTH } from '../limits.js';
import { publicUrl } from '../url-display.js';

interface Range {
  cidr: string;
  what: string;
}

// Hand-written rather than node:net BlockList because a refusal should say which range matched.
const IPV4_BLOCKED: Range[] = [
  { cidr: '0.0.0.0/8', what: '"this network"' },
  { cidr: '10.0.0.0/8', what: 'private network' },
  { cidr: '100.64.0.0/10', what: 'carrier-grade NAT' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local (cloud metadata)' },
  { cidr: '172.16.0.0/12', what: 'private network' },
  { cidr: '192.0.0.0/24', what: 'IETF protocol assignments' },
  { cidr: '192.168.0.0/16', what: 'private network' },
  { cidr: '198.18.0.0/15', what: 'benchmarking' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved (incl. broadcast)' },
];
const IPV6_BLOCKED: Range[] = [
  { cidr: '::/128', what: 'unspecified' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: 'fc00::/7', what: 'unique local' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: 'ff00::/8', what: 'multicast' },
];
/** IPv6 prefixes that carry an IPv4 address; the embedded address is judged by the IPv4 table. */
const IPV4_EMBEDDING: { cidr: string; what: string; at: number }[] = [
  { cidr: '::ffff:0:0/96', what: 'IPv4-mapped', at: 12 },
  { cidr: '64:ff9b::/96', what: 'NAT64', at: 12 },
  { cidr: '2002::/16', what: '6to4', at: 2 },
  { cidr: '::/96', what: 'IPv4-compatible', at: 12 },
];

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

/** 16 bytes of an IPv6 address that `isIP` accepted (handles `::` and a dotted-quad tail). */
function ipv6Bytes(text: string): Uint8Array {
  const groups = text.toLowerCase().split('::');
  const expand = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a, b, c, d] = ipv4Bytes(piece);
        out.push((a! << 8) | b!, (c! << 8) | d!);
      } else out.push(Number.parseInt(piece, 16));
    }
    return out;
  };
  const head = expand(groups[0]!);
  const tail = groups.length > 1 ? expand(groups[1]!) : [];
  const words = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

function parseCidr(cidr: string): { bytes: Uint8Array; bits: number } {
  const [addr, bits] = cidr.split('/') as [string, string];
  return { bytes: isIP(addr) === 4 ? ipv4Bytes(addr) : ipv6Bytes(addr), bits: Number(bits) };
}

function inPrefix(addr: Uint8Array, prefix: { bytes: Uint8Array; bits: number }): boolean {
  for (let bit = 0; bit < prefix.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((addr[bit >> 3]! & mask) !== (prefix.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

const compile = <T extends { cidr: string }>(ranges: T[]) =>
  ranges.map((r) => ({ ...r, prefix: parseCidr(r.cidr) }));
const V4 = compile(IPV4_BLOCKED);
const V6 = compile(IPV6_BLOCKED);
const EMBEDDING = compile(IPV4_EMBEDDING);

/**
 * The blocked range an IP address falls in, as words for an error message, or undefined when the
 * address is public. Anything that is not a plain IPv4/IPv6 address (zone ids, garbage) is refused.
 */
export function blockedRange(address: string): string | undefined {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(ip);
  if (family === 4) {
    const bytes = ipv4Bytes(ip);
    const hit = V4.find((r) => inPrefix(bytes, r.prefix));
    return hit && `${hit.cidr} (${hit.what})`;
  }
  if (family !== 6) return 'not an IP address';
  const bytes = ipv6Bytes(ip);
  const hit = V6.find((r) => inPrefix(bytes, r.prefix));
  if (hit) return `${hit.cidr} (${hit.what})`;
  for (const embed of EMBEDDING) {
    if (!inPrefix(bytes, embed.prefix)) continue;
    const v4 = Array.from(bytes.subarray(embed.at, embed.at + 4)).join('.');
    const inner = blockedRange(v4);
    return inner && `${embed.cidr} (${embed.what}) embedding ${v4} in ${inner}`;
  }
  return undefined;
}

export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; error: 'bad-scheme' | 'blocked-address'; reason: string };

/**
 * Whether a URL may be requested: http(s) only, at most 8 KiB, and — unless private networks are
 * allowed — no IP-literal host in a blocked range and no localhost name. Other host names pass here; their resolved addresses
 * are checked when the socket connects. The WHATWG parser already turns `127.1`, `2130706433`,
 * `0x7f.1` and `0177.0.0.1` into `127.0.0.1`, so those are caught as literals.
 */
export function checkUrl(input: string | URL, allowPrivateNetworks: boolean): UrlCheck {
  const text = String(input);
  if (text.length > MAX_URL_LENGTH) {
    return {
      ok: false,
      error: 'bad-scheme',
      reason: `URL longer than ${MAX_URL_LENGTH} bytes (${text.length})`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      error: 'bad-scheme',
      reason: `not a valid absolute URL: ${JSON.stringify(text.slice(0, 200))}`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      error: 'bad-scheme',
      reason: `scheme ${url.protocol} is not http: or https: in ${publicUrl(url)}`,
    };
  }
  if (allowPrivateNetworks) return { ok: true, url };
  if (isIP(url.hostname.replace(/^\[|\]$/g, ''))) {
    const range = blockedRange(url.hostname);
    if (range)
      return {
        ok: false,
        error: 'blocked-address',
        reason: `${publicUrl(url)}: ${url.hostname} is in ${range}; ${ALLOW_PRIVATE_NETWORKS}`,
      };
  }
  // RFC 6761 §6.3: localhost names mean this machine whatever DNS says; refusing them by name makes
  // `localhost.` blocked even where the resolver would not answer for it.
  if (/(^|\.)localhost\.?$/.test(url.hostname)) {
    return {
      ok: false,
      error: 'blocked-address',
      reason: `${publicUrl(url)}: ${url.hostname} is a localhost name; ${ALLOW_PRIVATE_NETWORKS}`,
    };
  }
  return { ok: true, url };
}

/** Every refusal says how to lift it: intranet feeds and tests on this machine are legitimate. */
export const ALLOW_PRIVATE_NETWORKS =
  'set TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1 (or fetch.allow_private_networks: true) to allow it';
