/**
 * How PostgreSQL finds a search's newest matches (the ones that are ranked, as on SQLite), decided here
 * rather than by the planner.
 *
 * There are two ways to find them, each fast where the other is slow:
 * - walking the newest posts by id and testing each one: cheap per post (about 0.35 µs), and for a common
 *   word it stops after a few thousand; for a rare one it would read the whole table;
 * - the GIN index: it hands over every match at once, which costs about 15 times as much per match (the
 *   heap visit): nothing for a rare word, seconds for a word in a tenth of ten million posts.
 * Asked for "the newest matches" (`ORDER BY id DESC LIMIT n`), the planner chooses by its estimate of how
 * many posts match, which for a word outside its statistics is a fixed guess (0.5 %): it walked the whole
 * table for a rare word (1 s at 1,000,000 posts, `EXPLAIN ANALYZE`). So a search first walks a bounded
 * window of the newest posts; what that window held says how dense the matches are, and so which way is
 * cheaper for the rest.
 */

/** The newest posts a search walks first: enough to find `wanted` matches of a word in 1 post in 20. */
export const FIRST_WALK_PER_WANTED = 20;
/** What one match costs the GIN index, in posts walked (measured at 1,000,000 posts: 5.3 µs / 0.35 µs). */
const INDEX_COST_IN_POSTS_WALKED = 15;

/** After a walk of the newest `window` ids found `found` matches, fewer than `wanted`. */
export interface WalkOutcome {
  found: number;
  window: number;
  /** The highest id: the walk covered every post when its window reaches it. */
  top: number;
  wanted: number;
}

/**
 * What to do next: done (the walk covered every post, so it found every match), walk a wider window
 * (the matches are dense enough that walking to the `wanted`-th is cheaper than fetching them all through
 * the index), or use the index (few matches in all, or none in the window to judge by).
 */
export function afterWalk({ found, window, top, wanted }: WalkOutcome): 'done' | 'index' | { walk: number } {
  if (window >= top) return 'done';
  if (found === 0) return 'index';
  const density = found / window;
  const postsToWalk = wanted / density;
  if (postsToWalk > density * top * INDEX_COST_IN_POSTS_WALKED) return 'index';
  // Twice the estimate, so that a density measured a little high does not fall short and pay for both.
  return { walk: Math.min(top, Math.ceil(postsToWalk * 2)) };
}
