// Serving speed: Tributary's `/` (with 100,000 entries in SQLite), `/atom.xml` and `/search?q=<word>`,
// against a plain static file server sending the same bytes of `/` from a file (and, as the ceiling,
// node:http sending them from memory). Each server runs in its own child process on 127.0.0.1; the load
// comes from another process: wrk when installed (C, one thread, so the load generator is not what is
// measured), else a bounded keep-alive node:http loop (this file's `load` role), which tops out near
// 3,000-4,000 req/s on a 2-core machine and then measures itself more than the servers.
// Every target gets a 1 s warm-up, then --seconds of load from --connections connections.
// --search-flood measures instead what a flood of searches does to the river: `/` alone, then `/` while 50
// connections (--flood) search for common words, each request a combination (or page) not asked before, so
// no cache helps.
// Usage: npm run build && node bench/serve.mjs [--entries 100000] [--seconds 10] [--connections 32]
//   [--loader wrk|node] [--db PATH: build the database there once and reuse it on later runs]
//   [--search-flood [--flood 50] [--probe 4: connections loading / meanwhile]]
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const [role, ...roleArgs] = process.argv.slice(2);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

function listenAndReport(server) {
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  // The parent going away (normally or not) ends the child.
  process.on('disconnect', () => process.exit(0));
}

/** Keep-alive load from `connections` concurrent request loops, bounded by time and by count. */
async function nodeLoad(url, seconds, connections) {
  const MAX_REQUESTS = 5_000_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = () =>
    new Promise((resolve) => {
      const next = () => {
        if (performance.now() >= deadline || latencies.length >= MAX_REQUESTS) return resolve();
        const t0 = performance.now();
        http
          .get(url, { agent }, (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 200) latencies.push(performance.now() - t0);
              else errors++;
              next();
            });
          })
          .on('error', () => {
            errors++;
            next();
          });
      };
      next();
    });
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

/** `connections` loops of distinct searches until the deadline: what the server answered, and how fast. */
async function searchFlood(base, seconds, connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const byStatus = {};
  const answered = [];
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline && sent < 1_000_000) {
      const n = sent++;
      // Three of the corpus's words (each in most posts), a different three or page for every request:
      // every search is new to the cache and ranks most of the river.
      const k = WORDS.length;
      const q = `${WORDS[n % k]} ${WORDS[Math.floor(n / k) % k]} ${WORDS[Math.floor(n / k ** 2) % k]}`;
      const page = 1 + (Math.floor(n / k ** 3) % 50);
      const t0 = performance.now();
      const status = await new Promise((resolve) => {
        http
          .get(`${base}/search?q=${encodeURIComponent(q)}&page=${page}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          })
          .on('error', () => resolve('error'));
      });
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (status === 200) answered.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  answered.sort((a, b) => a - b);
  const at = (q) => answered[Math.min(answered.length - 1, Math.floor(q * answered.length))] ?? NaN;
  const elapsed = (performance.now() - started) / 1000;
  return { byStatus, answeredPerSecond: answered.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

function wrkLoad(url, seconds, connections) {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  const ms = (label) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN;
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: ms('50'),
    p99: ms('99'),
    errors: Number(errors),
  };
}

function loadFrom(loader, url, seconds, connections) {
  if (loader === 'wrk') return Promise.resolve(wrkLoad(url, seconds, connections));
  return new Promise((resolve, reject) => {
    const child = fork(self, ['load', url, String(seconds), String(connections)]);
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code && reject(new Error(`load process exited with ${code}`)));
  });
}

function floodFrom(base, seconds, connections) {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['flood', base, String(seconds), String(connections)]);
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code && reject(new Error(`flood process exited with ${code}`)));
  });
}

/** `/` alone, then `/` during a flood of distinct searches. */
async function measureSearchFlood(base, loader, seconds) {
  const flood = Number(option('flood', '50'));
  const probe = Number(option('probe', '4'));
  const row = (label, r) =>
    console.log(
      `${label.padEnd(34)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}${r.errors ? `  (${r.errors} errors)` : ''}`,
    );
  console.log(`/ from ${probe} connections (${loader}), ${seconds} s each; the flood: ${flood} connections`);
  console.log(`${''.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  await loadFrom(loader, `${base}/`, 1, probe);
  row('/ alone', await loadFrom(loader, `${base}/`, seconds, probe));
  const [during, searches] = await Promise.all([
    loadFrom(loader, `${base}/`, seconds, probe),
    floodFrom(base, seconds, flood),
  ]);
  row('/ during the search flood', during);
  const statuses = Object.entries(searches.byStatus)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  console.log(
    `searches: ${statuses}; answered ${searches.answeredPerSecond.toFixed(0)}/s, p50 ${searches.p50.toFixed(0)} ms, p99 ${searches.p99.toFixed(0)} ms`,
  );
  console.log(`/ p99 during the flood: ${during.p99.toFixed(1)} ms (target ≤ 50 ms)`);
}

function startChild(roleName, arg) {
  return new Promise((resolve, reject) => {
    const child = fork(self, [roleName, arg]);
    const timer = setTimeout(() => reject(new Error(`${roleName} server did not start in 60 s`)), 60_000);
    child.once('message', ({ port }) => {
      clearTimeout(timer);
      resolve({ child, base: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`${roleName} server exited with ${code}`)));
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      // No keep-alive: a socket idle since the last target may be closed by the server as it is reused.
      .get(url, { agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const WORDS =
  'river stream delta brook creek spring lake ocean harbour canal estuary rapids current tide'.split(' ');

/** Fills the store: 100 sources, entries committed 1,000 per fetch (one transaction each). */
async function buildDatabase(path, entries) {
  const { openStore } = await import('../dist/store/index.js');
  const store = await openStore(`sqlite:${path}`);
  await store.migrate();
  const SOURCES = 100;
  const BATCH = 1000;
  const perSource = Math.ceil(entries / SOURCES);
  const t0 = Date.now();
  let made = 0;
  for (let s = 0; s < SOURCES && made < entries; s++) {
    const source = await store.addSource({ url: `https://blog${s}.example.org/feed.xml`, name: `Blog ${s}` });
    for (let start = 0; start < perSource && made < entries; start += BATCH) {
      const items = [];
      for (let n = start; n < Math.min(start + BATCH, perSource) && made + items.length < entries; n++) {
        const k = s * perSource + n;
        const word = (i) => WORDS[(k * 7 + i * 3) % WORDS.length];
        items.push({
          id: `https://blog${s}.example.org/posts/${n}`,
          url: `https://blog${s}.example.org/posts/${n}`,
          title: `Post ${n} of blog ${s}: the ${word(1)} and the ${word(2)}`,
          content_html: `<p>Entry ${k} tells of the ${word(3)} meeting the ${word(4)}, <em>slowly</em>.</p><p>${Array.from({ length: 40 }, (_, i) => word(i)).join(' ')}</p><ul><li>${word(5)}</li><li>${word(6)}</li></ul>`,
          authors: [{ name: `Author ${s % 17}` }],
          date_published: new Date(Date.UTC(2024, 0, 1) + k * 317_000).toISOString(),
        });
      }
      await store.commitFetch(source.id, {
        outcome: 'ok',
        fetchedAt: new Date(Date.UTC(2025, 0, 1)),
        items,
        httpStatus: 200,
        durationMs: 50,
      });
      made += items.length;
    }
  }
  const stats = await store.stats();
  await store.close();
  return { ...stats, seconds: (Date.now() - t0) / 1000 };
}

function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its banner; only a missing binary is ENOENT.
    return error.code !== 'ENOENT';
  }
}

async function main() {
  const entries = Number(option('entries', '100000'));
  const seconds = Number(option('seconds', '10'));
  const connections = Number(option('connections', '32'));
  const loader = option('loader', hasWrk() ? 'wrk' : 'node');
  const keptDb = option('db', undefined);
  if (
    !(entries >= 1 && entries <= 1_000_000) ||
    !(seconds >= 1 && seconds <= 60) ||
    !(connections >= 1 && connections <= 256)
  ) {
    throw new Error('--entries wants 1–1,000,000, --seconds 1–60, --connections 1–256');
  }
  if (loader !== 'wrk' && loader !== 'node') throw new Error('--loader wants wrk or node');
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-serve-'));
  const children = [];
  try {
    const db = keptDb ?? join(dir, 'bench.db');
    if (keptDb && existsSync(keptDb)) console.log(`database: reusing ${keptDb}`);
    else {
      const built = await buildDatabase(db, entries);
      console.log(
        `database: ${built.entries} entries, ${built.sources} sources, built in ${built.seconds.toFixed(1)} s`,
      );
    }

    const tributary = await startChild('tributary', db);
    children.push(tributary.child);
    const home = await get(`${tributary.base}/`);
    if (home.status !== 200) throw new Error(`tributary / answered ${home.status}`);
    if (process.argv.includes('--search-flood')) {
      await measureSearchFlood(tributary.base, loader, seconds);
      return;
    }
    const file = join(dir, 'index.html');
    writeFileSync(file, home.body);
    const plain = await startChild('static', file);
    children.push(plain.child);
    const memory = await startChild('memory', file);
    children.push(memory.child);

    const targets = [
      ['static file /', `${plain.base}/`],
      ['same bytes from memory /', `${memory.base}/`],
      ['tributary /', `${tributary.base}/`],
      ['tributary /atom.xml', `${tributary.base}/atom.xml`],
      [`tributary /search?q=${WORDS[0]}`, `${tributary.base}/search?q=${WORDS[0]}`],
    ];
    console.log(
      `load: ${loader}, ${connections} keep-alive connections, ${seconds} s per target after 1 s warm-up`,
    );
    console.log(
      `${'target'.padEnd(30)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'bytes'.padStart(8)}`,
    );
    const results = {};
    for (const [label, url] of targets) {
      const { body } = await get(url);
      await loadFrom(loader, url, 1, connections);
      const r = await loadFrom(loader, url, seconds, connections);
      results[label] = r;
      const errors = r.errors ? `  (${r.errors} errors)` : '';
      console.log(
        `${label.padEnd(30)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(body.length).padStart(8)}${errors}`,
      );
    }
    const ratio = results['tributary /'].rps / results['static file /'].rps;
    console.log(
      `tributary / at ${(ratio * 100).toFixed(0)} % of the static file server's requests/s (target ≥ 50 %)`,
    );
  } finally {
    for (const child of children) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (role === 'tributary') {
  const { openStore } = await import('../dist/store/index.js');
  const { createServer } = await import('../dist/server/index.js');
  const store = await openStore(`sqlite:${roleArgs[0]}`);
  await store.migrate();
  listenAndReport(
    createServer({
      store,
      site: { title: 'Bench Planet', url: 'http://127.0.0.1/', description: 'Benchmark' },
    }),
  );
} else if (role === 'static') {
  // What a minimal static host does per request: read the file, send it with its type and length.
  const file = roleArgs[0];
  listenAndReport(
    http.createServer((_req, res) => {
      readFile(file).then((body) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
        res.end(body);
      });
    }),
  );
} else if (role === 'memory') {
  // The ceiling: node:http sending bytes it already holds, with nothing else to do.
  const body = await readFile(roleArgs[0]);
  listenAndReport(
    http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
      res.end(body);
    }),
  );
} else if (role === 'flood') {
  const [base, seconds, connections] = roleArgs;
  process.send(await searchFlood(base, Number(seconds), Number(connections)));
  process.disconnect();
} else if (role === 'load') {
  const [url, seconds, connections] = roleArgs;
  process.send(await nodeLoad(url, Number(seconds), Number(connections)));
  process.disconnect();
} else {
  await main();
}
