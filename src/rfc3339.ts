/** The model's date format (see model.ts): RFC 3339 in UTC. Imports nothing, so any layer may depend on it. */

/** An instant → RFC 3339 UTC, seconds precision, 'Z' (e.g. 2024-05-01T12:00:00Z). Milliseconds only when non-zero. */
export function formatRfc3339(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('formatRfc3339: invalid Date');
  const iso = date.toISOString(); // 2024-05-01T12:00:00.000Z, or ±YYYYYY-… outside years 0–9999
  return time % 1000 === 0 ? `${iso.slice(0, -5)}Z` : iso;
}
