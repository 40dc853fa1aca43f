/**
 * V8 settings of the `tributary` command: process-wide, so the command's alone (the library leaves its host's
 * as they are). Most take effect when set at run time, before the work: V8 reads them at each collection and
 * each tier-up decision. The young generation's size is fixed when the process starts: see
 * capYoungGeneration.
 */
import v8 from 'node:v8';

/**
 * V8 doubles the young generation's semi-spaces while much of what it allocates survives, up to a cap that is
 * larger on the Node 22+ releases than Node 20's 16 MiB. Refreshing does exactly that
 * (feeds in flight, checkpoints waiting for their group commit), so on Node 24 a cold `refresh` of 1,000
 * feeds peaked at 273 MiB against Node 20's 145 MiB; capped at 16 MiB it peaked at 180 MiB, for the same CPU
 * (median of 5 interleaved rounds; 8 MiB saved 8 MiB more for 17 % more CPU).
 */
const YOUNG_GENERATION_CAP = '--max-semi-space-size=16';

/**
 * The arguments to start this command again with, capping the young generation; none when the process was
 * started with a cap of its own (the operator's, on the command line or in NODE_OPTIONS) or already by us.
 */
export function relaunchArgs(
  execArgv: readonly string[],
  argv: readonly string[],
  nodeOptions = '',
): string[] | undefined {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  if (given.some((arg) => /^--max[-_]semi[-_]space[-_]size\b/.test(arg))) return undefined;
  return [YOUNG_GENERATION_CAP, ...execArgv, ...argv.slice(1)];
}

/**
 * Replaces this process with one whose young generation is capped (same pid, stdio and environment; ~30 ms of
 * CPU to start Node again). `process.execve` came with Node 22.15 and 23.11: Node 20 has none, and needs none.
 */
export function capYoungGeneration(): void {
  const execve = (process as { execve?: (file: string, args: string[]) => never }).execve;
  const args = relaunchArgs(process.execArgv, process.argv, process.env.NODE_OPTIONS);
  if (typeof execve !== 'function' || !args) return;
  try {
    execve(process.execPath, [process.execPath, ...args]);
  } catch {
    // Not on this platform (Windows): run with V8's default young generation.
  }
}

/**
 * V8 grows the old generation to up to 4× the live heap after each full collection when collecting is cheap,
 * as it is here (a live heap near 20 MiB, collected in ~20 ms): a cold `refresh` of 1,000 feeds peaked at
 * 196 MiB RSS. Growing by 20 % keeps it near 150 MiB (20 full collections instead of 4).
 */
export function growHeapSlowly(): void {
  v8.setFlagsFromString('--heap-growing-percent=20');
}

/**
 * For a command that runs once and exits (`refresh`, `build`…; not the daemons): optimize only what stays hot.
 * With V8's defaults, a cold `refresh` of 300 feeds spent 1.4 s of its 3.4 s of CPU on background threads
 * compiling with TurboFan (319 functions, the XML reader 8 times over as new feeds deoptimized it), code
 * the run ended too soon to pay back. Ten times V8's threshold (6× on Node 20's older V8, whose flag counts
 * bytecode executed rather than calls) cut that run's CPU by 12 % on Node 20 and 13 % on Node 24, and a
 * 1,000-feed run's by 9 %, with the same wall time (median of 4 interleaved rounds; bench:newsboat's fixture).
 * A daemon keeps the defaults: over hours, optimized code pays for its compiling many times over.
 */
export function optimizeLater(): void {
  const v8Major = Number(process.versions.v8.split('.')[0]);
  // V8 12 (Node 22) replaced the budget flag; setting a flag V8 does not know prints an error: pick by version.
  v8.setFlagsFromString(
    v8Major >= 12 ? '--invocation-count-for-turbofan=30000' : '--interrupt-budget=400000',
  );
}
