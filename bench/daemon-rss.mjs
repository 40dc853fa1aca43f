// A worker's memory over a long daemon run (issue 12, item 9): one `tributary worker` (the built CLI) on a new
// SQLite file polls N loopback feeds; every --cycle seconds this script marks every source due again (the
// schedule's 5-minute floor would otherwise leave the worker idle), and --changed percent of the feeds carry a
// new post each cycle, so every cycle parses, sanitizes, stores and indexes as well as taking 304s.
// The worker's RSS (/proc/PID/status) is sampled every --sample seconds; printed: the samples, each quarter's
// min/mean/max, and how the floor moved from the first quarter to the last.
// Usage (after `npm run build`): node bench/daemon-rss.mjs [--feeds 1000] [--minutes 15] [--cycle 30]
//   [--changed 10] [--sample 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function option(name, fallback, max) {
  const i = process.argv.indexOf(`--${name}`);
  const value = Number(i === -1 ? fallback : process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0 || value > max)
    throw new Error(`--${name} wants a number in (0, ${max}]`);
  return value;
}
const FEEDS = Math.round(option('feeds', 1000, 100_000));
const MINUTES = option('minutes', 15, 24 * 60);
const CYCLE_S = option('cycle', 30, 3600);
const CHANGED = option('changed', 10, 100) / 100;
const SAMPLE_S = option('sample', 10, 600);

/** Feed i in cycle c: 10 posts, the newest of which is new each cycle for the changed share of feeds. */
let cycle = 0;
function feedXml(i) {
  const newest = i < FEEDS * CHANGED ? cycle : 0;
  const items = Array.from({ length: 10 }, (_, k) => {
    const n = newest - k;
    const url = `https://site${i}.example/posts/${n}`;
    const date = new Date(Date.UTC(2024, 5, 1) + n * 3_600_000 + i * 1000).toUTCString();
    return `<item><title>Site ${i} post ${n}</title><link>${url}</link><guid>${url}</guid><pubDate>${date}</pubDate><description>&lt;p&gt;Post ${n} of site ${i}, with &lt;b&gt;some&lt;/b&gt; text and &lt;a href="/x"&gt;a link&lt;/a&gt;.&lt;/p&gt;</description></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site ${i}</title><link>https://site${i}.example/</link><description>Feed ${i}</description>${items.join('')}</channel></rss>`;
}

const server = createServer((req, res) => {
  const match = /^\/f\/(\d+)\.xml$/.exec(req.url ?? '');
  if (!match) return res.writeHead(404).end();
  const i = Number(match[1]);
  const etag = `"${i}-${i < FEEDS * CHANGED ? cycle : 0}"`;
  if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(feedXml(i));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

const dir = mkdtempSync(join(tmpdir(), 'tributary-daemon-rss-'));
const config = join(dir, 'tributary.yaml');
const database = join(dir, 't.db');
writeFileSync(
  config,
  `sources:\n${Array.from({ length: FEEDS }, (_, i) => `  - http://127.0.0.1:${port}/f/${i}.xml`).join('\n')}\n`,
);
const worker = spawn(process.execPath, [CLI, 'worker'], {
  env: {
    ...process.env,
    TRIBUTARY_CONFIG: config,
    TRIBUTARY_DATABASE_URL: database,
    TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1',
    TRIBUTARY_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = () => {
  worker.kill('SIGTERM');
  server.close();
  rmSync(dir, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

const rssMiB = () => {
  const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const end = started + MINUTES * 60_000;
const samples = [];
let nextCycle = started + CYCLE_S * 1000;
let db;
console.log(
  `worker pid ${worker.pid}: ${FEEDS} feeds, ${CHANGED * 100} % changed per ${CYCLE_S} s cycle, ${MINUTES} min`,
);
while (Date.now() < end && worker.exitCode === null) {
  await sleep(SAMPLE_S * 1000);
  if (worker.exitCode !== null) break;
  if (Date.now() >= nextCycle) {
    cycle++;
    nextCycle += CYCLE_S * 1000;
    db ??= new Database(database, { timeout: 10_000 });
    db.prepare('UPDATE sources SET next_fetch_at = 0').run();
  }
  const entries = db ? db.prepare('SELECT count(*) FROM entries').pluck().get() : 0;
  const sample = { s: (Date.now() - started) / 1000, rss: rssMiB(), entries };
  samples.push(sample);
  console.log(
    `${sample.s.toFixed(0).padStart(6)} s  rss ${sample.rss.toFixed(1).padStart(6)} MiB  ${entries} entries`,
  );
}
db?.close();
const exited = worker.exitCode;
stop();
if (exited !== null) throw new Error(`the worker exited (code ${exited}) before the run was over`);

// RSS swings with the garbage collector (a sample may land before or after a major GC), so a trend shows in
// each quarter's floor, not in single samples.
const quarter = Math.max(1, Math.ceil(samples.length / 4));
const floors = [];
for (let i = 0; i < samples.length; i += quarter) {
  const part = samples.slice(i, i + quarter).map((p) => p.rss);
  const mean = part.reduce((a, b) => a + b, 0) / part.length;
  floors.push(Math.min(...part));
  console.log(
    `${samples[i].s.toFixed(0).padStart(6)} s on: min ${Math.min(...part).toFixed(1)}, mean ${mean.toFixed(1)}, ` +
      `max ${Math.max(...part).toFixed(1)} MiB`,
  );
}
// The first quarter is warm-up (start-up, the first cold pass): the trend is read from the second on.
const from = floors.length > 2 ? 1 : 0;
const hours = (samples.at(-1).s - samples[from * quarter].s) / 3600;
const perHour = (floors.at(-1) - floors[from]) / hours;
console.log(
  `peak ${Math.max(...samples.map((p) => p.rss)).toFixed(1)} MiB over ${cycle} cycles; floor after warm-up ` +
    `${floors[from].toFixed(1)} → ${floors.at(-1).toFixed(1)} MiB (${perHour.toFixed(1)} MiB/hour if it went on so)`,
);
