/**
 * Reads a response body under a byte cap that applies to the *decompressed* bytes, so a 200 KB
 * gzip bomb stops at the cap instead of inflating to hundreds of MiB. Reading stops (and the
 * socket is torn down) as soon as the cap is crossed.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FetchFailure } from './outcome.js';

export const ACCEPT_ENCODING = 'gzip, deflate, br';

type Coding = 'identity' | 'gzip' | 'deflate' | 'br';

/**
 * The single content-coding of a response. Stacked codings (`gzip, gzip`) are refused: each layer
 * multiplies a bomb, and no feed server needs them. Unknown codings (`compress`, `zstd`) are
 * refused because we did not ask for them and cannot bound them.
 */
export function contentCoding(header: string | undefined, where: string): Coding {
  const codings = (header ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length > 1)
    throw new FetchFailure('bad-encoding', `stacked Content-Encoding "${header}" from ${where}`);
  const coding = codings[0] === 'x-gzip' ? 'gzip' : codings[0]!;
  if (coding === 'gzip' || coding === 'deflate' || coding === 'br') return coding;
  throw new FetchFailure('bad-encoding', `unsupported Content-Encoding "${header}" from ${where}`);
}

function decoderFor(coding: Exclude<Coding, 'identity'>) {
  // HTTP "deflate" is the zlib format (RFC 9110 §8.4.1.2); raw deflate is refused as corrupt.
  return coding === 'gzip'
    ? createGunzip()
    : coding === 'deflate'
      ? createInflate()
      : createBrotliDecompress();
}

function tooLarge(maxBytes: number, where: string, detail: string): FetchFailure {
  return new FetchFailure(
    'too-large',
    `response body over the ${maxBytes}-byte cap (${detail}) from ${where}`,
  );
}

const isZlibError = (err: unknown): boolean => {
  const code = (err as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('Z_') || code.startsWith('ERR__ERROR') || code.includes('BROTLI'))
  );
};

/**
 * Drops a body we will not read. Closing the socket costs a reconnect; reading it could cost the
 * whole deadline on a server that trickles its error pages.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {}); // undici reports the teardown as an AbortError nobody needs
  body.destroy();
}

/**
 * Drops the body of a response we will not read: one known to be empty (a 304, or Content-Length 0)
 * is let end by itself, the others are torn down (discardBody). Tearing down even an empty body
 * builds an AbortError, stack trace included: a tenth of the CPU of a warm refresh of 5,000 sources.
 */
export function skipBody(body: Readable, response: { status: number; contentLength?: string }): void {
  if (response.status === 304 || response.contentLength === '0') {
    body.on('error', () => {});
    body.resume();
  } else {
    discardBody(body);
  }
}

/**
 * The whole body, decoded, at most `maxBytes` long. Content-Length is not trusted, but an
 * uncompressed body that announces more than the cap is refused before reading. The compressed
 * bytes are capped too (a legitimate compressed body is smaller than its inflated form), which
 * bounds memory against a stream of empty deflate blocks.
 */
export async function readBody(
  body: Readable,
  headers: { contentEncoding?: string; contentLength?: string },
  maxBytes: number,
  where: string,
): Promise<Uint8Array> {
  let coding: Coding;
  try {
    coding = contentCoding(headers.contentEncoding, where);
  } catch (err) {
    discardBody(body);
    throw err;
  }
  const announced = Number(headers.contentLength);
  if (coding === 'identity' && announced > maxBytes) {
    discardBody(body);
    throw tooLarge(maxBytes, where, `Content-Length ${announced}`);
  }

  const chunks: Buffer[] = [];
  let total = 0;
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes)
        throw tooLarge(maxBytes, where, coding === 'identity' ? 'read so far' : `inflated ${coding}`);
      chunks.push(chunk);
    }
  };
  try {
    // Read directly, not through pipeline(): it builds an AbortController and aborts it, DOMException and
    // stack trace included, on every body. Leaving the loop early (the cap) destroys the body all the same.
    if (coding === 'identity') await collect(body);
    else {
      let wire = 0;
      const capWire = async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          wire += chunk.length;
          if (wire > maxBytes) throw tooLarge(maxBytes, where, `compressed ${coding}`);
          yield chunk;
        }
      };
      await pipeline(body, capWire, decoderFor(coding), collect);
    }
  } catch (err) {
    discardBody(body);
    if (isZlibError(err)) {
      throw new FetchFailure(
        'bad-encoding',
        `corrupt ${coding} body from ${where}: ${(err as Error).message}`,
      );
    }
    throw err;
  }
  return Buffer.concat(chunks, total);
}
