/**
 * V8 settings of the `tributary` command: process-wide, so the command's alone (the library leaves its host's
 * as they are). Both take effect when set at run time, before the work: V8 reads them at each collection and
 * each tier-up decision (unlike the heap size flags, which only the command line sets).
 */
import v8 from 'node:v8';

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
  // The flag was renamed in V8 12 (Node 22); setting one V8 does not know prints an error, so pick by version.
  v8.setFlagsFromString(
    v8Major >= 12 ? '--invocation-count-for-turbofan=30000' : '--interrupt-budget=400000',
  );
}
