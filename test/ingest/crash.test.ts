/**
 * Exactly once under crashes: `tributary refresh` is SIGKILLed at random moments, again and again, while the
 * feeds keep growing; then the database must hold exactly what one clean run over the final feeds holds —
 * no entry lost, none duplicated.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/index.js';
import { type FeedServer, type Route, rssFeed, startFeedServer } from './feed-server.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const SOURCES = 24;
const KILLS = 50;
let server: FeedServer;
let dir: string;
const routes = new Map<string, Route>();
const generation = new Array<number>(SOURCES).fill(10);
const publish = () => {
  for (let i = 0; i < SOURCES; i++)
    routes.set(`/feed${i}.xml`, { body: rssFeed(`site${i}`, generation[i]!) });
};

before(async () => {
  publish();
  server = await startFeedServer(routes);
  dir = mkdtempSync(join(tmpdir(), 'tributary-crash-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string): string {
  const path = join(dir, `${name}.yaml`);
  const sources = Array.from({ length: SOURCES }, (_, i) => `  - url: ${server.url(`/feed${i}.xml`)}`).join(
    '\n',
  );
  writeFileSync(path, `database: ${name}.db\nfetch:\n  concurrency: 4\nsources:\n${sources}\n`);
  return path;
}

/** Runs `tributary refresh --all`; kills it with SIGKILL after `killAfterMs` when given. */
function refresh(
  config: string,
  killAfterMs?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, '--config', config, 'refresh', '--all', '--no-progress'], {
    env: { ...process.env, TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== null && code !== 0 && code !== 3) reject(new Error(`refresh exited ${code}: ${stderr}`));
      resolve({ code, signal, ms: Date.now() - started });
    });
  });
}

async function entriesOf(dbFile: string): Promise<string[]> {
  const store = await openStore(dbFile);
  await store.migrate();
  const keys: string[] = [];
  let page = await store.river({ limit: 500 });
  for (;;) {
    for (const e of page.entries) keys.push(`${e.item.url} ${e.item.title}`);
    if (!page.next) break;
    page = await store.river({ limit: 500, before: page.next });
  }
  await store.close();
  return keys.sort();
}

test(`SIGKILL at ${KILLS} random moments loses and duplicates nothing`, { timeout: 180_000 }, async () => {
  const crashed = configFile('crashed');
  const { ms: cleanMs } = await refresh(configFile('warmup'));
  let killed = 0;
  for (let round = 0; round < KILLS; round++) {
    // New posts appear on a few sites between runs, so later runs have real work to interrupt.
    for (let k = 0; k < 3; k++) generation[(round * 7 + k * 5) % SOURCES]! += 1 + (round % 3);
    publish();
    const result = await refresh(crashed, Math.floor(Math.random() * cleanMs * 1.2));
    if (result.signal === 'SIGKILL') killed++;
  }
  assert.ok(killed >= KILLS * 0.6, `only ${killed} of ${KILLS} runs were killed mid-way`);
  await refresh(crashed);
  const reference = await refresh(configFile('clean'));
  assert.equal(reference.code, 0);

  const got = await entriesOf(join(dir, 'crashed.db'));
  const want = await entriesOf(join(dir, 'clean.db'));
  assert.equal(new Set(got).size, got.length, 'duplicated entries');
  assert.equal(
    want.length,
    generation.reduce((a, b) => a + b, 0),
  );
  assert.deepEqual(got, want);
});
