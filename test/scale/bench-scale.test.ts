/**
 * `npm run bench:scale` interrupted mid-cycle of its workers: Ctrl-C leaves no worker running, no temporary
 * folder (configs, SQLite file) and no PostgreSQL schema behind. Runs the built bench (bench/scale.mjs
 * imports dist/, which `npm test` builds first).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { POSTGRES_SKIP, POSTGRES_URL } from '../store/backends.js';
import { interrupt, waitFor } from './processes.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Processes whose command line names `dir` (Linux /proc; none found elsewhere). */
function processesUsing(dir: string): string[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return command.includes(dir) ? [`${pid}: ${command}`] : [];
      } catch {
        return [];
      }
    });
}

test('Ctrl-C during a worker cycle stops the workers, drops the schema and removes the temporary folder', {
  skip: POSTGRES_SKIP,
  timeout: 120_000,
}, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tributary-bench-test-'));
  const bench = spawn(
    process.execPath,
    ['bench/scale.mjs', '--parts', 'workers', '--backends', 'postgres', '--feeds', '20000', '--workers', '2'],
    {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp, TRIBUTARY_TEST_POSTGRES_URL: POSTGRES_URL ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  bench.stderr.on('data', (d) => (stderr += d));
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const schema = `tributary_fleet_${bench.pid}`;
  const exists = async () =>
    (await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
  try {
    // Mid-cycle: both workers are fetching (20,000 cold feeds take far longer than this test waits).
    await waitFor(
      async () => /cold…/.test(stderr) && processesUsing(tmp).length >= 2,
      Date.now() + 90_000,
      () => `the cold cycle did not start: ${stderr}`,
    );
    assert.ok(await exists());
    await interrupt(bench);
    assert.equal(await exists(), false, `schema ${schema} left behind: ${stderr}`);
    assert.deepEqual(readdirSync(tmp), [], `left behind: ${readdirSync(tmp)}; ${stderr}`);
    assert.deepEqual(processesUsing(tmp), [], 'workers left running');
  } finally {
    bench.kill('SIGKILL');
    for (const line of processesUsing(tmp)) process.kill(Number(line.split(':')[0]), 'SIGKILL');
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  }
});
