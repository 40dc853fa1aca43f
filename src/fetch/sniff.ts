/**
 * "Is this body a feed?" from its first bytes, for autodiscovery only; the real parser
 * (src/parse/) decides what the document is. Content-Type is not consulted: servers lie (N11).
 */
const SNIFF_BYTES = 4096;
const JSON_FEED_VERSION = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//;
const FEED_ROOT = /^<(?:rss|(?:[\w-]+:)?feed|(?:[\w-]+:)?RDF)[\s>/]/;

/** The first bytes as text: UTF-16 by BOM, else a byte-per-char reading that keeps ASCII markup intact. */
function head(bytes: Uint8Array): string {
  const slice = bytes.subarray(0, SNIFF_BYTES);
  if (slice[0] === 0xff && slice[1] === 0xfe) return new TextDecoder('utf-16le').decode(slice);
  if (slice[0] === 0xfe && slice[1] === 0xff) return new TextDecoder('utf-16be').decode(slice);
  const start = slice[0] === 0xef && slice[1] === 0xbb && slice[2] === 0xbf ? 3 : 0;
  return Buffer.from(slice.buffer, slice.byteOffset + start, slice.length - start).toString('latin1');
}

/** `<rss`, `<feed`, `<rdf:RDF` after any XML declaration, PIs, comments and DOCTYPE; or a JSON Feed object. */
export function looksLikeFeed(bytes: Uint8Array): boolean {
  let text = head(bytes).trimStart();
  if (text.startsWith('{')) return JSON_FEED_VERSION.test(text);
  // Each pass drops one prolog construct; a prolog longer than the sniff window is not a feed we can tell.
  for (let pass = 0; pass < 32; pass++) {
    if (FEED_ROOT.test(text)) return true;
    const end = prologEnd(text);
    if (end === undefined) return false;
    text = text.slice(end).trimStart();
  }
  return false;
}

/** Where the prolog construct (PI, comment, DOCTYPE) at the start of `text` ends; undefined if none or unterminated. */
function prologEnd(text: string): number | undefined {
  const past = (terminator: string, from = 0) => {
    const at = text.indexOf(terminator, from);
    return at === -1 ? undefined : at + terminator.length;
  };
  if (text.startsWith('<?')) return past('?>');
  if (text.startsWith('<!--')) return past('-->', 4);
  if (text.startsWith('<!DOCTYPE')) {
    const subset = text.indexOf('[');
    const close = text.indexOf('>');
    return subset !== -1 && subset < close ? past(']>', subset) : past('>');
  }
  return undefined;
}
