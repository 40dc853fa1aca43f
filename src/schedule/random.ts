/** Randomness is passed into the scheduler, so tests (and replays) are deterministic. */

/** Returns a number in [0, 1), like `Math.random`. */
export type Random = () => number;

/** A small seeded generator (mulberry32): the same seed gives the same sequence. Not for secrets. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `seconds` moved by up to ±`fraction` of itself. */
export function jittered(seconds: number, fraction: number, random: Random): number {
  return seconds * (1 + (random() * 2 - 1) * fraction);
}
