/**
 * Feed bytes → text. Which encoding, in this order (WHATWG sniffing, RFC 7303, feedparser):
 *   1. a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE), or the 16/32-bit layout of the first
 *      bytes (`<\0?\0` — XML 1.0 Appendix F) when there is no BOM;
 *   2. the charset parameter of the HTTP Content-Type;
 *   3. the encoding named in the XML declaration;
 *   4. UTF-8.
 * Then the bytes get the last word over a label that lies: a "latin-1" document made of valid UTF-8
 * multi-byte sequences is read as UTF-8, and a "UTF-8" document that is not UTF-8 but looks like
 * windows-1252 is read as windows-1252 — each time with bozo and a warning. RFC 3023 says text/xml
 * without a charset is US-ASCII; we read such a document by its declaration (a user wants the text
 * right) and only flag it when it really holds non-ASCII bytes, as feedparser does.
 *
 * Labels go through the WHATWG table (Node's TextDecoder knows it), so latin-1, iso-8859-1 and
 * us-ascii all mean windows-1252. Legacy encodings are decoded with iconv-lite: Node 20's
 * TextDecoder('windows-1252') turns 0x80–0x9F into C1 controls (nodejs/node#60888).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { Utf8View } from './utf8-view.js';

export interface DecodedText {
  text: string;
  /** Set when the text is valid UTF-8 that a parser can read undecoded (see Utf8View); `text` then decodes
   * the whole of it when first read. */
  view?: Utf8View;
  encoding: string;
  bozo: boolean;
  warnings: string[];
}

type UnicodeForm = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Text as decoded, or a view of UTF-8 bytes to decode piece by piece. */
type Text = string | Utf8View;

/** UTF-8 bytes → text, or undefined when they are not valid UTF-8. A fatal TextDecoder takes ICU's slow path;
 * simdutf's `isUtf8` (GB/s) then the lenient decoder is almost twice as fast, and pure ASCII (common in
 * feeds) decodes fastest as latin1. Faster still is not to decode: a view when the bytes allow one. */
function decodeValidUtf8(b: Uint8Array): Text | undefined {
  if (isAscii(b))
    return Utf8View.of(b) ?? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  return isUtf8(b) ? (Utf8View.of(b) ?? utf8Lenient.decode(b)) : undefined;
}
const utf8Lenient = new TextDecoder('utf-8');
const utf16Strict = {
  'utf-16le': new TextDecoder('utf-16le', { fatal: true }),
  'utf-16be': new TextDecoder('utf-16be', { fatal: true }),
};
const utf16Lenient = { 'utf-16le': new TextDecoder('utf-16le'), 'utf-16be': new TextDecoder('utf-16be') };

/** Python/feedparser spellings of the Unicode forms that the WHATWG table lacks (it has no UTF-32). */
const UNICODE_ALIASES: Record<string, UnicodeForm> = {
  utf8: 'utf-8',
  utf_8: 'utf-8',
  u8: 'utf-8',
  utf16: 'utf-16le',
  utf_16: 'utf-16le',
  u16: 'utf-16le',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  utf_16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf_16be: 'utf-16be',
  'ucs-2': 'utf-16le',
  ucs2: 'utf-16le',
  'iso-10646-ucs-2': 'utf-16le',
  utf32: 'utf-32le',
  utf_32: 'utf-32le',
  u32: 'utf-32le',
  'utf-32': 'utf-32le',
  'utf-32le': 'utf-32le',
  utf_32le: 'utf-32le',
  'utf-32be': 'utf-32be',
  utf_32be: 'utf-32be',
  'ucs-4': 'utf-32le',
  ucs4: 'utf-32le',
  'iso-10646-ucs-4': 'utf-32le',
};

/** WHATWG names iconv-lite spells differently or lacks; the rest are decoded by iconv-lite as named. */
const ICONV_NAMES: Record<string, string> = {
  gbk: 'gb18030',
  'iso-8859-8-i': 'iso-8859-8',
  'x-mac-cyrillic': 'maccyrillic',
};
/** Encodings that are not ASCII supersets: their bytes cannot be checked against UTF-8. */
const NOT_ASCII_COMPATIBLE = new Set(['iso-2022-jp']);

const labelCache = new Map<string, string | null>();

/** A charset label → its canonical lowercase name (WHATWG), or null when unknown or unsupported. */
function canonicalEncoding(label: string): string | null {
  const key = label.trim().toLowerCase();
  const cached = labelCache.get(key);
  if (cached !== undefined) return cached;
  let name: string | null = UNICODE_ALIASES[key] ?? null;
  if (!name && key.length > 0 && key.length <= 40) {
    try {
      // Node's TextDecoder holds the WHATWG label table; we use it for the names, not to decode.
      name = new TextDecoder(key).encoding;
    } catch {
      name = null; // unknown label, or one WHATWG maps to "replacement" (hz-gb-2312, iso-2022-kr…)
    }
  }
  if (labelCache.size < 256) labelCache.set(key, name);
  return name;
}

/** Same family for conflict warnings: a UTF-16 declaration is no lie in a UTF-16LE document. */
function sameFamily(a: string, b: string): boolean {
  return (
    a === b ||
    (a.startsWith('utf-16') && b.startsWith('utf-16')) ||
    (a.startsWith('utf-32') && b.startsWith('utf-32'))
  );
}

function sniffBom(b: Uint8Array): { form: UnicodeForm; length: number } | undefined {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { form: 'utf-8', length: 3 };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
    return { form: 'utf-32le', length: 4 };
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
    return { form: 'utf-32be', length: 4 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { form: 'utf-16le', length: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { form: 'utf-16be', length: 2 };
  return undefined;
}

/** Without a BOM, a document that opens with ASCII characters (`<`, whitespace) in 16/32-bit units. */
function sniffWideLayout(b: Uint8Array): UnicodeForm | undefined {
  if (b.length < 4) return undefined;
  const b0 = b[0]!;
  const b1 = b[1]!;
  const b2 = b[2]!;
  const b3 = b[3]!;
  if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'utf-32be';
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'utf-16le';
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'utf-16be';
  return undefined;
}

const DECLARATION_PREFIX_BYTES = 512;
const XML_DECLARATION = /^\s*<\?xml\s([^>]{0,400})/;
const ENCODING_PSEUDO_ATTRIBUTE = /\bencoding\s*=\s*["']?([A-Za-z0-9._:()+-]{1,60})/;

/** The label in `<?xml … encoding="…"?>`, read from the first bytes in the given layout. */
function declaredLabel(b: Uint8Array, start: number, form: UnicodeForm | undefined): string | undefined {
  const step = form === undefined || form === 'utf-8' ? 1 : form.startsWith('utf-16') ? 2 : 4;
  const low = form === 'utf-16be' ? 1 : form === 'utf-32be' ? 3 : 0; // where the ASCII byte sits in a unit
  const end = Math.min(b.length, start + DECLARATION_PREFIX_BYTES * step);
  let prefix = '';
  for (let i = start + low; i < end; i += step) {
    const c = b[i]!;
    if (c === 0x3e /* > */) break;
    prefix += String.fromCharCode(c);
  }
  const decl = XML_DECLARATION.exec(prefix);
  if (!decl) return undefined;
  return ENCODING_PSEUDO_ATTRIBUTE.exec(decl[1]!)?.[1];
}

interface MediaType {
  type: string;
  charset?: string;
}

/** `application/rss+xml; charset="utf-8"` → type and charset; parameters without `=` are ignored. */
function parseContentType(value: string): MediaType {
  const parts = value.split(';');
  const media: MediaType = { type: parts[0]!.trim().toLowerCase() };
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i]!.indexOf('=');
    if (eq === -1 || parts[i]!.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = parts[i]!.slice(eq + 1)
      .trim()
      .replace(/^["']|["']$/g, '')
      .trim();
    if (charset) media.charset = charset;
  }
  return media;
}

function isXmlMediaType(type: string): boolean {
  return (
    type === 'application/xml' ||
    type === 'text/xml' ||
    type.endsWith('+xml') ||
    type.endsWith('/xml-dtd') ||
    type.endsWith('/xml-external-parsed-entity')
  );
}

function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/**
 * Whether bytes that failed UTF-8 validation are windows-1252 text rather than damaged UTF-8.
 * Windows-1252 text has lone high bytes between ASCII (`Caf\xe9`); damaged UTF-8 has runs of a lead
 * byte plus continuation bytes, and any valid multi-byte sequence shows the author wrote UTF-8.
 */
function looksLikeWindows1252(b: Uint8Array): boolean {
  let lone = 0;
  let utf8Shaped = 0;
  let i = 0;
  while (i < b.length) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < b.length && b[end]! >= 0x80) end++;
    for (let j = i; j < end; j++) if (startsValidSequence(b, j)) return false;
    if (end - i > 1 && b[i]! >= 0xc0 && b[i + 1]! <= 0xbf) utf8Shaped++;
    else lone++;
    i = end;
  }
  return lone > 0 && utf8Shaped * 4 < lone;
}

/** A well-formed UTF-8 multi-byte sequence at i (no overlongs, no surrogates, nothing past U+10FFFF). */
function startsValidSequence(b: Uint8Array, i: number): boolean {
  const c = b[i]!;
  const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
  if (need === 0 || i + need >= b.length) return false;
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  const c1 = b[i + 1]!;
  if (c1 < lo || c1 > hi) return false;
  for (let k = 2; k <= need; k++) {
    const ck = b[i + k]!;
    if (ck < 0x80 || ck > 0xbf) return false;
  }
  return true;
}

/** Code points for bytes 0x80–0x9F in windows-1252 (0 where the table has a hole). */
const WINDOWS_1252_C1 = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

/**
 * What XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF), C1 controls (mis-decoded
 * windows-1252) and DEL (allowed, kept). Written as a negated class: V8 scans it fastest.
 */
const SUSPECT_CHAR = /[^\t\n\r\x20-\x7E\xA0-\uFFFD]/;
const SUSPECT_CHARS = /[^\t\n\r\x20-\x7E\xA0-\uFFFD]/g;

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Leaves only characters XML allows: forbidden controls are removed (with a warning), C1 controls
 * become the windows-1252 characters their byte stood for (feedparser's "demoronize": U+0092 → ’),
 * and lone surrogates (only iconv-lite's UTF-32 can make them) become U+FFFD.
 */
function cleanText(text: string, mayHoldLoneSurrogates: boolean, warnings: string[]): string {
  if (mayHoldLoneSurrogates && !(text as unknown as WellFormedString).isWellFormed()) {
    text = (text as unknown as WellFormedString).toWellFormed();
    warnings.push('unpaired surrogate code points replaced with U+FFFD');
  }
  if (!SUSPECT_CHAR.test(text)) return text;
  let removed = 0;
  text = text.replace(SUSPECT_CHARS, (ch) => {
    const c = ch.charCodeAt(0);
    if (c === 0x7f) return ch;
    const mapped = c >= 0x80 && c <= 0x9f ? WINDOWS_1252_C1[c - 0x80]! : 0;
    if (mapped) return String.fromCharCode(mapped);
    removed++;
    return '';
  });
  if (removed > 0) {
    warnings.push(
      `removed ${removed} character(s) that XML 1.0 forbids (NUL, control characters, U+FFFE/U+FFFF)`,
    );
  }
  return text;
}

function decodeLegacy(b: Uint8Array, name: string): string {
  const iconvName = ICONV_NAMES[name] ?? name;
  if (iconv.encodingExists(iconvName)) return iconv.decode(b, iconvName);
  return new TextDecoder(name).decode(b); // e.g. iso-2022-jp, which iconv-lite lacks (ICU has it)
}

/** Bytes of a feed → text, choosing the encoding the way browsers/feedparser do. */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedText {
  const warnings: string[] = [];
  const media = contentType ? parseContentType(contentType) : undefined;
  const bom = sniffBom(bytes);
  const layout = bom?.form ?? sniffWideLayout(bytes);
  const start = bom?.length ?? 0;
  const body = start > 0 ? bytes.subarray(start) : bytes;

  if (media?.type && !isXmlMediaType(media.type) && !isJsonMediaType(media.type)) {
    warnings.push(`served as ${media.type}, which is not an XML or JSON media type`);
  }
  const labels: Label[] = [];
  if (media?.charset) labels.push({ label: media.charset, where: 'the HTTP Content-Type' });
  const declared = declaredLabel(bytes, start, layout);
  if (declared) labels.push({ label: declared, where: 'the XML declaration' });

  let decoded: { text: Text; encoding: string };
  if (layout) {
    for (const l of labels) {
      const name = canonicalEncoding(l.label);
      if (!name) warnings.push(`unknown character encoding "${l.label}" in ${l.where}; ignored`);
      else if (!sameFamily(name, layout)) {
        const evidence = bom ? 'byte order mark' : 'byte layout';
        warnings.push(`${l.where} says "${l.label}" but the ${evidence} says ${layout}; read as ${layout}`);
      }
    }
    decoded = { text: decodeUnicode(body, layout, warnings), encoding: layout };
  } else {
    const usable = usableLabels(labels, warnings);
    if (!media?.charset && media?.type.startsWith('text/') && isXmlMediaType(media.type) && !isAscii(body)) {
      warnings.push(
        `served as ${media.type} without a charset, which means US-ASCII (RFC 3023), but the document holds non-ASCII bytes`,
      );
    }
    const first = usable[0];
    decoded =
      !first || first.name === 'utf-8'
        ? decodeClaimedUtf8(body, first?.claim, usable[1]?.name, warnings)
        : decodeClaimedLegacy(body, first.name, first.claim, warnings);
  }
  const view = decoded.text;
  // Utf8View.of has checked that cleanText has nothing to do.
  if (typeof view !== 'string') return new ViewText(view, decoded.encoding, warnings);
  const text = cleanText(view, decoded.encoding.startsWith('utf-32'), warnings);
  return { text, encoding: decoded.encoding, bozo: warnings.length > 0, warnings };
}

/** A view's DecodedText: the whole text is decoded only when asked for. */
class ViewText implements DecodedText {
  readonly bozo: boolean;
  constructor(
    readonly view: Utf8View,
    readonly encoding: string,
    readonly warnings: string[],
  ) {
    this.bozo = warnings.length > 0;
  }
  get text(): string {
    return this.view.text();
  }
}

interface Label {
  label: string;
  where: string;
}

/** Labels an 8-bit document can honour, in precedence order; unknown and 16/32-bit ones are reported and dropped. */
function usableLabels(labels: Label[], warnings: string[]): { name: string; claim: string }[] {
  const usable: { name: string; claim: string }[] = [];
  for (const { label, where } of labels) {
    const name = canonicalEncoding(label);
    if (!name) warnings.push(`unknown character encoding "${label}" in ${where}; ignored`);
    else if (name.startsWith('utf-16') || name.startsWith('utf-32')) {
      warnings.push(`${where} says "${label}" but the bytes are not laid out as ${name}; ignored`);
    } else usable.push({ name, claim: `${where} says "${label}"` });
  }
  return usable;
}

function decodeUnicode(b: Uint8Array, form: UnicodeForm, warnings: string[]): Text {
  if (form === 'utf-32le' || form === 'utf-32be') return iconv.decode(b, form);
  if (form === 'utf-8') {
    const text = decodeValidUtf8(b);
    if (text !== undefined) return text;
  }
  const strict = form === 'utf-8' ? utf8Strict : utf16Strict[form];
  try {
    return strict.decode(b);
  } catch {
    warnings.push(`invalid ${form.toUpperCase()} byte sequences replaced with U+FFFD`);
    return (form === 'utf-8' ? utf8Lenient : utf16Lenient[form]).decode(b);
  }
}

/**
 * The common case, one TextDecoder call. Bytes that are not UTF-8 are read by the next label in line
 * (the XML declaration when HTTP claimed UTF-8), else as windows-1252 when they look like it, else
 * as UTF-8 with U+FFFD.
 */
function decodeClaimedUtf8(
  b: Uint8Array,
  claim: string | undefined,
  fallback: string | undefined,
  warnings: string[],
): { text: Text; encoding: string } {
  const valid = decodeValidUtf8(b);
  if (valid !== undefined) return { text: valid, encoding: 'utf-8' };
  claim ??= 'no encoding is declared';
  if (fallback && fallback !== 'utf-8') {
    warnings.push(
      `${claim} but the bytes are not UTF-8; read as ${fallback}, the XML declaration's encoding`,
    );
    return { text: decodeLegacy(b, fallback), encoding: fallback };
  }
  if (looksLikeWindows1252(b)) {
    warnings.push(`${claim} but the bytes are not UTF-8 and look like windows-1252; read as windows-1252`);
    return { text: iconv.decode(b, 'windows-1252'), encoding: 'windows-1252' };
  }
  warnings.push(`${claim} but some bytes are not valid UTF-8; they were replaced with U+FFFD`);
  return { text: utf8Lenient.decode(b), encoding: 'utf-8' };
}

/** A legacy label is checked against the bytes: valid UTF-8 with multi-byte sequences is UTF-8 whatever the label says. */
function decodeClaimedLegacy(
  b: Uint8Array,
  name: string,
  claim: string,
  warnings: string[],
): { text: Text; encoding: string } {
  const text = NOT_ASCII_COMPATIBLE.has(name) ? undefined : decodeValidUtf8(b);
  if (text !== undefined) {
    // Pure ASCII reads the same in any ASCII-compatible encoding: keep the fast decode.
    if (isAscii(b)) return { text, encoding: name };
    warnings.push(`${claim} (${name}) but the bytes are valid UTF-8; read as UTF-8`);
    return { text, encoding: 'utf-8' };
  }
  return { text: decodeLegacy(b, name), encoding: name };
}
