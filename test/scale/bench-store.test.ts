/**
 * `npm run bench:store` interrupted (issue 12, item 11): Ctrl-C mid-ingest leaves no temporary folder (it
 * held a SQLite database of hundreds of MB) and no PostgreSQL schema behind. Runs the built bench
 * (bench/store.mjs imports dist/, which `npm test` builds first).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { POSTGRES_SKIP, POSTGRES_URL } from '../store/backends.js';
import { delay, interrupt, waitFor } from './processes.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts the store bench on one backend, with a size it will not reach before it is interrupted. */
function startBench(backend: string, tmp: string): { child: ChildProcess; stderr: () => string } {
  const child = spawn(
    process.execPath,
    [
      'bench/store.mjs',
      '--phase',
      'store',
      '--backends',
      backend,
      '--sizes',
      '5000000',
      '--budget-seconds',
      '600',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp, TRIBUTARY_TEST_POSTGRES_URL: POSTGRES_URL ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, stderr: () => stderr };
}

test('Ctrl-C during the SQLite ingest removes its temporary folder', { timeout: 90_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tributary-bench-test-'));
  const bench = startBench('sqlite', tmp);
  try {
    await waitFor(
      () => /SQLite/.test(bench.stderr()) && readdirSync(tmp).length > 0,
      Date.now() + 60_000,
      () => `the bench did not start: ${bench.stderr()}`,
    );
    // Mid-ingest: the database is there and growing.
    await delay(1_000);
    await interrupt(bench.child);
    assert.deepEqual(readdirSync(tmp), [], `left behind: ${readdirSync(tmp)}; ${bench.stderr()}`);
  } finally {
    bench.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('Ctrl-C during the PostgreSQL ingest drops its schema', {
  skip: POSTGRES_SKIP,
  timeout: 90_000,
}, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tributary-bench-test-'));
  const bench = startBench('postgres', tmp);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const schema = `tributary_bench_${bench.child.pid}`;
  const exists = async () =>
    (await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
  try {
    await waitFor(exists, Date.now() + 60_000, () => `no schema ${schema}: ${bench.stderr()}`);
    await delay(1_000);
    await interrupt(bench.child);
    assert.equal(await exists(), false, `schema ${schema} left behind: ${bench.stderr()}`);
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    bench.child.kill('SIGKILL');
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  }
});
