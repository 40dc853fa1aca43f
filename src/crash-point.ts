/**
 * Fault injection for the crash test (test/ingest/crash.test.ts). With `TRIBUTARY_CRASH_AT=POINT:N` the
 * process SIGKILLs itself the N-th time this thread reaches POINT, so a kill lands at a chosen step of a
 * refresh whatever the machine's load (a timer-driven kill mostly hit start-up or the end on a busy CI
 * machine). Unset, as everywhere but that test, each call is one comparison.
 */
export type CrashPoint = 'fetch' | 'parse' | 'commit';

const [armed, nth] = armedPoint(process.env.TRIBUTARY_CRASH_AT);
let reached = 0;

/** Marks a step: before a fetch starts, after a feed is parsed and before its rows are made, and inside a
 * commit's transaction after the entries are written. */
export function crashPoint(point: CrashPoint): void {
  if (point === armed && ++reached === nth) process.kill(process.pid, 'SIGKILL');
}

function armedPoint(spec: string | undefined): [CrashPoint | undefined, number] {
  const match = /^(fetch|parse|commit):([1-9]\d*)$/.exec(spec ?? '');
  if (!match) {
    if (spec) throw new Error(`TRIBUTARY_CRASH_AT must be fetch|parse|commit:N, not "${spec}"`);
    return [undefined, 0];
  }
  return [match[1] as CrashPoint, Number(match[2])];
}
