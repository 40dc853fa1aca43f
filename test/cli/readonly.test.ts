/**
 * A database that cannot be written is a command that cannot run: `refresh` and `run` stop at once with one
 * message naming the database and the cause (not one "could not store" line per source), and `/healthz`
 * reports 503. Tests run as root in CI, where file modes do not stop writes: the file is made immutable
 * (chattr +i) there, read-only by mode otherwise, and the test first checks that writing it really fails.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FeedServer, type Route, rssFeed, startFeedServer } from '../ingest/feed-server.js';
import { runCli, startCli, tempDir } from './cli.js';

const dir = tempDir('readonly');
const db = join(dir, 'river.db');
const env = { TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1' };
const routes = new Map<string, Route>();
let server: FeedServer;

const asRoot = process.getuid?.() === 0;
function setReadOnly(readOnly: boolean): void {
  if (asRoot) execFileSync('chattr', [readOnly ? '+i' : '-i', db]);
  else chmodSync(db, readOnly ? 0o444 : 0o644);
}

before(async () => {
  for (let i = 0; i < 3; i++) routes.set(`/feed${i}.xml`, { body: rssFeed(`site${i}`, 2) });
  server = await startFeedServer(routes);
  const sources = [...routes.keys()].map((path) => `  - ${server.url(path)}`).join('\n');
  writeFileSync(join(dir, 'tributary.yaml'), `database: river.db\nsources:\n${sources}\n`);
  const first = await runCli(['refresh', '--no-progress'], { cwd: dir, env });
  assert.equal(first.code, 0, first.stderr);
  setReadOnly(true);
  assert.throws(() => openSync(db, 'r+'), 'the database file really cannot be written');
});
after(async () => {
  setReadOnly(false);
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The lines of stderr, JSON log lines and all. */
const linesOf = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

test('refresh on a read-only database: exit 1, one message naming the database and the cause', async () => {
  const { code, stdout, stderr } = await runCli(['refresh', '--all', '--no-progress'], { cwd: dir, env });
  assert.equal(code, 1, stderr);
  assert.equal(stdout, '');
  assert.deepEqual(linesOf(stderr), [
    `tributary refresh: cannot write to database ${db}: attempt to write a readonly database`,
  ]);
});

test('run on a read-only database does not start: exit 1, the same one message', async () => {
  const { code, stderr } = await runCli(['run', '--listen', '127.0.0.1:0'], {
    cwd: dir,
    env,
    timeoutMs: 20_000,
  });
  assert.equal(code, 1, stderr);
  assert.match(stderr, new RegExp(`tributary run: cannot write to database ${db}: .*readonly`));
});

test('/healthz answers 503 while the store cannot write', async () => {
  const child = startCli(['serve', '--listen', '127.0.0.1:0'], { cwd: dir, env });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /serving the river at (\S+?)"/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const health = await fetch(new URL('healthz', base));
    assert.equal(health.status, 503);
    assert.match(await health.text(), /cannot write to database .*readonly/);
    const river = await fetch(base);
    assert.equal(river.status, 200, 'the river is still served');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
  }
});
