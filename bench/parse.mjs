// Parse throughput: Tributary's parseFeed against the JS feed parsers, on the real-world corpus.
// Each parser lives in its own child process (bench/peers/worker.mjs); rounds are interleaved
// (round 1: A B C D E, round 2: A B C D E, …) so machine noise spreads over all of them, and the
// median round is reported. Throughput is given by wall time and by the worker's CPU time (user + system, GC
// threads included): on a machine shared with other work, wall time counts the waits for a core, CPU time
// does not. Usage: node bench/parse.mjs [--rounds N] [--passes N]
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const project = join(here, '..');
const PARSERS = ['tributary', 'feedsmith', 'rowanmanning', 'rss-parser', 'htmlparser2'];
const LABELS = {
  tributary: 'tributary parseFeed',
  feedsmith: 'feedsmith parseFeed',
  rowanmanning: '@rowanmanning/feed-parser',
  'rss-parser': 'rss-parser parseString',
  htmlparser2: 'htmlparser2 parseFeed',
};

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 100)
    throw new Error(`--${name} wants an integer 1–100`);
  return value;
}
const rounds = option('rounds', 7);
const passes = option('passes', 3);

/** The real-world corpus from ../shared, else the project's own test fixtures. */
function corpusFiles() {
  const realworld = join(project, '..', 'shared', 'corpus', 'realworld');
  if (existsSync(join(realworld, 'manifest.json'))) {
    const manifest = JSON.parse(readFileSync(join(realworld, 'manifest.json'), 'utf8'));
    return {
      source: 'shared/corpus/realworld (manifest.json)',
      files: manifest.map((e) => join(realworld, e.file)),
    };
  }
  console.log('../shared is absent: measuring on the test fixtures instead (small, so figures are rough)');
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(xml|rss|atom|rdf|json)$/.test(entry) && path.includes('fixtures')) files.push(path);
    }
  };
  walk(join(project, 'test'));
  return { source: 'test/**/fixtures', files };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A child process for one parser; `run(passes)` resolves with that round's figures. */
function startWorker(name, listFile) {
  const child = fork(join(here, 'peers', 'worker.mjs'), [name, listFile], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let pending;
  const ready = new Promise((resolve, reject) => {
    pending = { resolve, reject };
    child.once('exit', (code) => pending?.reject(new Error(`${name} worker exited with code ${code}`)));
  });
  child.on('message', (msg) => {
    const p = pending;
    pending = undefined;
    p?.resolve(msg);
  });
  return {
    name,
    ready,
    run(n) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        child.send({ passes: n });
      });
    },
    stop() {
      child.send({ exit: true });
    },
  };
}

const { source, files } = corpusFiles();
if (files.length === 0) {
  console.log('no corpus files found: nothing to measure');
  process.exit(0);
}
const corpusBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
const scratch = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
const listFile = join(scratch, 'files.json');
writeFileSync(listFile, JSON.stringify(files));
console.log(
  `corpus: ${source}, ${files.length} files, ${(corpusBytes / 2 ** 20).toFixed(1)} MiB; ` +
    `${rounds} interleaved rounds × ${passes} passes each, after 2 warm-up passes`,
);

const started = Date.now();
const workers = [];
const unavailable = new Map();
for (const name of PARSERS) {
  const w = startWorker(name, listFile);
  const hello = await w.ready;
  if (hello.unavailable) unavailable.set(name, hello.unavailable);
  else workers.push(w);
}

const results = new Map(workers.map((w) => [w.name, []]));
for (let r = 1; r <= rounds; r++) {
  for (const w of workers) results.get(w.name).push(await w.run(passes));
  process.stdout.write(`round ${r}/${rounds} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}
for (const w of workers) w.stop();
rmSync(scratch, { recursive: true, force: true });

const rows = [];
for (const name of PARSERS) {
  if (unavailable.has(name)) {
    rows.push({ name, note: `unavailable: ${unavailable.get(name)}` });
    continue;
  }
  const rs = results.get(name);
  const mbs = rs.map((x) => x.bytes / 1e6 / (x.ms / 1000));
  const cpuMbs = rs.map((x) => x.bytes / 1e6 / (x.cpuMs / 1000));
  const itemsPerSec = rs.map((x) => x.items / (x.ms / 1000));
  const failed = new Set(rs.flatMap((x) => x.failedFiles));
  rows.push({
    name,
    mbs: median(mbs),
    cpuMbs: median(cpuMbs),
    spread: `${Math.min(...mbs).toFixed(1)}–${Math.max(...mbs).toFixed(1)}`,
    itemsPerSec: median(itemsPerSec),
    items: rs[0].items / passes,
    failed: failed.size,
    failedNames: [...failed].map((f) => f.slice(f.lastIndexOf('realworld') + 10)),
  });
}

const pad = (s, n) => String(s).padEnd(n);
const padl = (s, n) => String(s).padStart(n);
console.log(
  `\n${pad('parser', 28)}${padl('MB/s', 9)}${padl('(min–max)', 14)}${padl('CPU MB/s', 10)}${padl('items/s', 11)}${padl('items', 8)}${padl('failed files', 14)}`,
);
for (const row of rows) {
  if (row.note) {
    console.log(`${pad(LABELS[row.name], 28)}${row.note}`);
    continue;
  }
  console.log(
    `${pad(LABELS[row.name], 28)}${padl(row.mbs.toFixed(1), 9)}${padl(row.spread, 14)}${padl(row.cpuMbs.toFixed(1), 10)}` +
      `${padl(Math.round(row.itemsPerSec), 11)}${padl(row.items, 8)}${padl(`${row.failed}/${files.length}`, 14)}`,
  );
}
console.log(
  "(MB = 10^6 bytes of input; CPU MB/s: by each worker's CPU time; items = entries returned per corpus pass; failed files count in MB/s, not items)",
);
const ourFailures = rows.find((r) => r.name === 'tributary')?.failedNames ?? [];
if (ourFailures.length > 0) console.log(`tributary could not read: ${ourFailures.join(', ')}`);

const ours = rows.find((r) => r.name === 'tributary' && !r.note);
const peers = rows.filter((r) => r.name !== 'tributary' && !r.note);
if (ours && peers.length > 0) {
  const fastest = peers.reduce((a, b) => (b.mbs > a.mbs ? b : a));
  const fastestCpu = peers.reduce((a, b) => (b.cpuMbs > a.cpuMbs ? b : a));
  const fastestItems = peers.reduce((a, b) => (b.itemsPerSec > a.itemsPerSec ? b : a));
  console.log(
    `tributary / fastest peer: ${(ours.mbs / fastest.mbs).toFixed(2)}× MB/s (vs ${LABELS[fastest.name]}), ` +
      `${(ours.cpuMbs / fastestCpu.cpuMbs).toFixed(2)}× by CPU time (vs ${LABELS[fastestCpu.name]}), ` +
      `${(ours.itemsPerSec / fastestItems.itemsPerSec).toFixed(2)}× items/s (vs ${LABELS[fastestItems.name]})`,
  );
} else if (!ours) {
  console.log('tributary: unavailable (run npm run build first), so no ratio');
}
console.log(`parse bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);

const contentBench = join(here, 'content.mjs');
if (existsSync(contentBench)) {
  console.log('\n--- bench/content.mjs ---');
  const { status } = spawnSync(process.execPath, [contentBench], { stdio: 'inherit' });
  if (status !== 0) process.exitCode = status ?? 1;
}
