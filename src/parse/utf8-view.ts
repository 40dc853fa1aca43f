/**
 * UTF-8 bytes read as a one-byte (latin1) string, decoded only where a piece is cut out of it.
 *
 * Hand-written because decoding a whole document costs more than parsing it: Node 20's UTF-8 → string
 * (TextDecoder, Buffer#toString alike) runs at about 100 MB/s on the mostly-ASCII text feeds are, and it makes
 * a two-byte string of the whole document for a few accented letters. The latin1 view copies the bytes as
 * they are; every markup character a parser looks for is ASCII, and ASCII reads as itself, so the tokenizer
 * scans the view with byte offsets and `slice` decodes just the pieces that hold non-ASCII bytes.
 */
import { Buffer } from 'node:buffer';

/** What cleanText would change or report (C0 controls XML forbids), or a non-ASCII byte: one scan finds both. */
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7f]/g;

/** A view is for text written mostly in ASCII; past this share of non-ASCII bytes (CJK, Cyrillic), most
 * pieces need decoding anyway and the whole-document decoder is the faster way. */
const MAX_NON_ASCII_SHARE = 1 / 4;

export class Utf8View {
  /** The bytes, one character each: offsets in it are byte offsets. */
  readonly latin1: string;
  readonly #bytes: Buffer;
  /** [start, end) of each run of non-ASCII bytes, in order, flattened. */
  readonly #runs: number[];
  #full: string | undefined;

  private constructor(bytes: Buffer, latin1: string, runs: number[]) {
    this.#bytes = bytes;
    this.latin1 = latin1;
    this.#runs = runs;
  }

  /**
   * A view of valid UTF-8 `bytes` (the caller has checked them), or undefined when it would not pay or not be
   * exact: a character XML forbids or a C1 control (which cleanText rewrites) is present, the text opens with
   * a byte order mark (a decoder drops it), or non-ASCII is dense.
   */
  static of(bytes: Uint8Array): Utf8View | undefined {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return undefined;
    const latin1 = buf.toString('latin1');
    const runs: number[] = [];
    const maxNonAscii = buf.length * MAX_NON_ASCII_SHARE;
    let nonAscii = 0;
    NOT_PLAIN_ASCII.lastIndex = 0;
    while (NOT_PLAIN_ASCII.test(latin1)) {
      const start = NOT_PLAIN_ASCII.lastIndex - 1;
      if (buf[start]! < 0x80) return undefined; // a control character: cleanText's business
      let end = start + 1;
      while (end < buf.length && buf[end]! >= 0x80) end++;
      nonAscii += end - start;
      if (isRewrittenByCleanText(buf, start, end) || nonAscii > maxNonAscii) return undefined;
      runs.push(start, end);
      NOT_PLAIN_ASCII.lastIndex = end;
    }
    return new Utf8View(buf, latin1, runs);
  }

  /** True when the bytes are all ASCII (the view is the text itself). */
  get ascii(): boolean {
    return this.#runs.length === 0;
  }

  /** The text of bytes [start, end), which must not cut a character (the tokenizer cuts at ASCII). */
  slice(start: number, end: number): string {
    return this.#hasNonAscii(start, end)
      ? this.#bytes.toString('utf8', start, end)
      : this.latin1.slice(start, end);
  }

  /** The whole text, decoded once when first asked for (JSON, an HTML page's links). */
  text(): string {
    this.#full ??= this.ascii ? this.latin1 : this.#bytes.toString('utf8');
    return this.#full;
  }

  /** Whether a run of non-ASCII bytes overlaps [start, end): binary search over the runs' ends. */
  #hasNonAscii(start: number, end: number): boolean {
    const runs = this.#runs;
    let lo = 0;
    let hi = runs.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (runs[2 * mid + 1]! <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo < runs.length >> 1 && runs[2 * lo]! < end;
  }
}

/** U+0080–U+009F (C2 80–9F: cleanText maps them to windows-1252) or U+FFFE/U+FFFF (EF BF BE/BF: removed). */
function isRewrittenByCleanText(b: Buffer, start: number, end: number): boolean {
  for (let k = start; k < end - 1; k++) {
    const c = b[k]!;
    if (c === 0xc2 && b[k + 1]! <= 0x9f) return true;
    if (c === 0xef && b[k + 1] === 0xbf && k + 2 < end && b[k + 2]! >= 0xbe) return true;
  }
  return false;
}
