/** River cursors as short URL-safe tokens (`<published ms>_<id>` in base 36), so pages can link "older". */
import type { RiverCursor } from './store.js';

export function encodeRiverCursor(cursor: RiverCursor): string {
  return `${cursor.publishedMs.toString(36)}_${cursor.id.toString(36)}`;
}

/** The cursor a token names, or undefined for a token this store did not make. */
export function decodeRiverCursor(token: string): RiverCursor | undefined {
  const match = /^(-?[0-9a-z]{1,12})_([0-9a-z]{1,12})$/.exec(token);
  if (!match) return undefined;
  const publishedMs = Number.parseInt(match[1]!, 36);
  const id = Number.parseInt(match[2]!, 36);
  return Number.isSafeInteger(publishedMs) && Number.isSafeInteger(id) ? { publishedMs, id } : undefined;
}
