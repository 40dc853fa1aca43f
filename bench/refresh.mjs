// Refresh throughput of the engine (refreshAll: fetch → parse → sanitize → commit into SQLite) against what it
// cannot go below: bare conditional fetches of the same URLs and parseFeed over the same bytes.
// A loopback feed server runs in its own process (bench/refresh-server.mjs); each N is measured in fresh
// processes (bench/lib/refresh-run.mjs): for the engine — a new SQLite file, a cold cycle (all 200), warm
// cycles (304 wherever an ETag was kept), its peak RSS — and for the baselines (fetchFeed and raw undici,
// cold and warm; parseFeed over the same bytes), so neither inherits the other's heap or JIT.
// The machine is shared and noisy: each of those processes runs --rounds times, every phase shows its median
// round (cold phases included: each round is a new process), and CPU time is printed beside wall time.
// Usage (after `npm run build`): node bench/refresh.mjs [--sizes 1000,5000] [--phase-limit SECONDS]
//   [--concurrency 16] [--rounds 3] [--parse-threads N] [--cpu-prof DIR]   (--parse-threads: the engine's
//   fetch.parse_threads, default as in `tributary refresh` (none on 2 cores), 0 = on the main thread; --cpu-prof:
//   a .cpuprofile per engine thread into DIR; summarise one with bench/lib/cpu-profile-summary.mjs)
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultParseThreads } from '../dist/ingest/parse-pool.js';
import { sourceUrl } from './lib/corpus.mjs';
import { parseSizes } from './lib/sizes.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
function integerOption(name, fallback, max) {
  const value = Number(option(name, fallback));
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`--${name} wants an integer 1–${max}`);
  return value;
}
const SIZES = parseSizes(option('sizes', '1000,5000'));
const PHASE_LIMIT_MS = integerOption('phase-limit', 120, 3600) * 1000;
const CONCURRENCY = integerOption('concurrency', 16, 256);
const ROUNDS = integerOption('rounds', 3, 9);
const PARSE_THREADS =
  option('parse-threads', undefined) === undefined
    ? defaultParseThreads(true)
    : option('parse-threads') === '0'
      ? 0
      : integerOption('parse-threads', 1, 64);
const cpuProfDir = option('cpu-prof', undefined);
/** Most phases a child runs (baseline: 4 fetch loops + parse), plus set-up slack. */
const CHILD_LIMIT_MS = 5 * PHASE_LIMIT_MS + 60_000;

const workDir = mkdtempSync(join(tmpdir(), 'tributary-bench-refresh-'));
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill();
  rmSync(workDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Forks `script` and resolves with its first IPC message; rejects if it exits first or overruns `limitMs`. */
function forkForMessage(script, args, limitMs, execArgv = []) {
  const child = fork(join(here, script), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${script} ${args[0] ?? ''} gave no result within ${limitMs / 1000} s`));
    }, limitMs);
    child.once('message', (msg) => {
      clearTimeout(timer);
      resolve({ child, msg });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      reject(new Error(`${script} ${args[0] ?? ''} exited (${signal ?? `code ${code}`}) without a result`));
    });
  });
}

const server = await forkForMessage('refresh-server.mjs', [], 30_000);
const origin = `http://127.0.0.1:${server.msg.port}`;
console.log(`corpus: ${server.msg.source}, served round-robin by a loopback server in a child process`);
console.log(
  `engine: refreshAll, concurrency ${CONCURRENCY}, parse threads ${PARSE_THREADS}, Limiter(${CONCURRENCY}, ${CONCURRENCY}): every source is on ` +
    `127.0.0.1, so the per-host limit is set to the global one, as for ${CONCURRENCY}+ distinct hosts ` +
    '(servers may listen on 127.0.0.1 only here, so no per-source host names)',
);
console.log(
  'baselines: fetchFeed alone (same guard, limiter and body decoding; nothing after it) is the target ' +
    'baseline; raw undici.request is the wire floor, for reference',
);
console.log(
  `phase limit ${PHASE_LIMIT_MS / 1000} s; median of ${ROUNDS} round(s), each in new processes; ` +
    `fresh SQLite file per engine round in ${workDir}`,
);
console.log(`${loadNote()} at start\n`);

// A few hundred requests so the server's JIT is warm before the first measured phase.
for (let i = 0; i < 300; i++) await (await fetch(sourceUrl(origin, i))).arrayBuffer();

const runs = new Map();
for (const n of SIZES) {
  const run = { phases: {}, failures: [] };
  runs.set(n, run);
  for (const mode of ['baseline', 'engine']) {
    const execArgv =
      mode === 'engine' && cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfDir)}`] : [];
    const args = [
      mode,
      String(n),
      origin,
      workDir,
      String(PHASE_LIMIT_MS),
      String(CONCURRENCY),
      String(PARSE_THREADS),
    ];
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      try {
        rounds.push((await forkForMessage('lib/refresh-run.mjs', args, CHILD_LIMIT_MS, execArgv)).msg);
      } catch (e) {
        run.failures.push(e.message);
        break;
      }
    }
    Object.assign(run.phases, medianPhases(rounds.map((r) => r.phases)));
    const peaks = rounds.flatMap((r) => (r.rss ? [r.rss] : []));
    if (peaks.length > 0) run.rss = median(peaks, (rss) => rss.peak);
  }
  printRun(n, run);
}
server.child.kill();
printTargets();
console.log(`${loadNote()} at end`);

/** The item of `items` in the middle by `key` (the lower middle of an even count). */
function median(items, key) {
  return items.toSorted((a, b) => key(a) - key(b))[(items.length - 1) >> 1];
}

/** Each phase's median round by wall time, or its round that timed out (a phase's figures then mean little). */
function medianPhases(rounds) {
  const phases = {};
  for (const name of new Set(rounds.flatMap((r) => Object.keys(r)))) {
    const samples = rounds.flatMap((r) => (r[name] ? [r[name]] : []));
    const pick = samples.find((p) => p.timedOut) ?? median(samples, (p) => p.ms);
    phases[name] = { ...pick, rounds: samples.length };
  }
  return phases;
}

/** Other work on the machine skews every figure here; say how busy it was. */
function loadNote() {
  const [oneMinute] = loadavg();
  const cores = availableParallelism();
  const busy = oneMinute > cores * 0.75 ? ': the machine is busy, figures are noisy' : '';
  return `load average ${fmt(oneMinute, 2)} on ${cores} cores${busy}`;
}

function fmt(value, digits = 0) {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printRun(n, run) {
  const rows = [['N', 'phase', 'rounds', 'wall', 'CPU', 'sources/s', 'outcomes (median round)']];
  for (const [name, p] of Object.entries(run.phases)) {
    const wall = p.timedOut
      ? `TIMED OUT ${fmt(p.ms / 1000, 1)} s (${fmt(p.done)} done)`
      : `${fmt(p.ms / 1000, 2)} s`;
    const cpu = `${fmt(p.cpuMs / 1000, 2)} s`;
    const rate = fmt((p.done / p.ms) * 1000);
    const kinds = Object.entries(p.kinds)
      .map(([k, c]) => `${fmt(c)} ${k}`)
      .join(', ');
    rows.push([fmt(n), name, String(p.rounds), wall, cpu, rate, kinds + (p.note ? `; ${p.note}` : '')]);
  }
  if (run.rss) {
    const peak = `${fmt(run.rss.peak / 1024)} MiB`;
    const note = `maxRSS after all cycles, median round (${fmt(run.rss.before / 1024)} MiB before the first)`;
    rows.push([fmt(n), 'engine peak RSS', '', peak, '', '', note]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const last = rows[0].length - 1;
  for (const r of rows)
    console.log(r.map((cell, c) => (c === last ? cell : cell.padEnd(widths[c]))).join('  '));
  for (const [name, p] of Object.entries(run.phases))
    for (const error of p.errors) console.log(`  ${name}: e.g. ${error}`);
  for (const failure of run.failures) console.log(`  run failed: ${failure}`);
  console.log();
}

/**
 * Time per source of phase `top` over the summed time per source of `bottoms` (wall and CPU), per source so
 * that phases over different source counts compare; `{ missing }` when a phase timed out or did not run.
 */
function ratio(run, top, bottoms) {
  for (const name of [top, ...bottoms]) {
    const p = run.phases[name];
    if (!p) return { missing: `${name} did not run` };
    if (p.timedOut) return { missing: `${name} timed out` };
  }
  const perSource = (name, field) => run.phases[name][field] / run.phases[name].done;
  const over = (field) =>
    perSource(top, field) / bottoms.reduce((sum, name) => sum + perSource(name, field), 0);
  return { ratio: over('ms'), cpuRatio: over('cpuMs') };
}

function verdict(label, checks, note = '') {
  const measured = checks.filter((c) => c.ratio !== undefined);
  const pass = measured.length === checks.length && measured.every((c) => c.ok);
  const state = measured.length < checks.length ? 'NOT MEASURED' : pass ? 'PASS' : 'MISS';
  const detail = checks.map((c) => `${c.label}: ${c.ratio === undefined ? c.missing : c.text}`).join('; ');
  console.log(`${state.padEnd(12)} ${label} — ${detail}${note}`);
}

function printTargets() {
  console.log('targets: wall time per source, engine ÷ baseline (CPU-time ratio in brackets), per N');
  const perN = (top, bottoms) =>
    SIZES.map((n) => {
      const r = ratio(runs.get(n), top, bottoms);
      const text = r.ratio && `${fmt(r.ratio, 2)}× (CPU ${fmt(r.cpuRatio, 2)}×)`;
      return { label: fmt(n), ...r, ok: r.ratio <= 2, text };
    });
  const everySource = perN('engine warm', ['bare fetchFeed warm'])
    .map((c) => `${c.label}: ${c.ratio === undefined ? c.missing : `${fmt(c.ratio, 2)}×`}`)
    .join('; ');
  verdict(
    'warm cycle (sources with an ETag) ≤ 2× bare warm fetchFeed',
    perN('engine warm, ETag kept', ['bare fetchFeed warm']),
    `\n             [every source, failed ones refetched in full: ${everySource}]`,
  );
  verdict(
    'cold cycle ≤ 2× (bare cold fetchFeed + parse-only)',
    perN('engine cold', ['bare fetchFeed cold', 'parseFeed only']),
  );
  const small = runs.get(Math.min(...SIZES)).rss;
  const large = runs.get(Math.max(...SIZES)).rss;
  const growth = small && large && SIZES.length > 1 ? large.peak / small.peak - 1 : undefined;
  verdict(`peak RSS at ${fmt(Math.max(...SIZES))} within 20 % of ${fmt(Math.min(...SIZES))}`, [
    growth === undefined
      ? { label: 'RSS', missing: 'needs engine runs at two sizes' }
      : {
          label: `${fmt(small.peak / 1024)} → ${fmt(large.peak / 1024)} MiB`,
          ratio: growth,
          ok: growth <= 0.2,
          text: `${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)} %`,
        },
  ]);
}
