/**
 * A database host that accepts connections and never answers (issue 12, item 4) must not hang a command:
 * it waits `connect_timeout` seconds (10 by default), says for what, and exits 1. Nor must a statement that
 * waits on a lock hold its worker forever: statements time out (60 s unless the URL says).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import { postgresTarget } from '../../src/store/postgres/connection.js';
import { POSTGRES_SKIP, POSTGRES_URL, postgresSchema } from '../store/backends.js';
import { CliProcesses, exitText } from './processes.js';
import { startTarpit } from './tarpit.js';

test('list, refresh, worker and serve give up on a silent database host after connect_timeout, naming it', {
  timeout: 60_000,
}, async () => {
  const tarpit = await startTarpit();
  const cli = new CliProcesses({ TRIBUTARY_LOG_LEVEL: 'warn' });
  try {
    const host = `127.0.0.1:${tarpit.port}`;
    const commands = [
      { args: ['list'], query: '?connect_timeout=1', says: /within 1 s \(connect_timeout=1\)/ },
      { args: ['refresh'], query: '?connect_timeout=2', says: /within 2 s \(connect_timeout=2\)/ },
      { args: ['worker'], query: '?connect_timeout=1&schema=planet', says: /within 1 s/ },
      // No connect_timeout: the default.
      { args: ['serve', '--listen', '127.0.0.1:0'], query: '', says: /within 10 s \(the default/ },
    ];
    const runs = commands.map(({ args, query }) =>
      cli.start(args[0]!, ['--database', `postgres://tributary:s3cret@${host}/planet${query}`, ...args]),
    );
    for (const [i, proc] of runs.entries()) {
      const exit = await cli.waitExit(proc, 30_000);
      const stderr = proc.stderr();
      assert.equal(exit.code, 1, `${proc.name} exited ${exitText(exit)}: ${stderr}`);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${proc.name} said more than one line: ${stderr}`);
      assert.match(lines[0]!, new RegExp(`^tributary ${proc.name}: .*no answer from ${host} `));
      assert.match(lines[0]!, commands[i]!.says);
      assert.doesNotMatch(stderr, /s3cret/);
    }
    assert.ok(tarpit.connections >= commands.length);
  } finally {
    await cli.killAll();
    await tarpit.close();
  }
});

test('a statement stuck behind a lock ends at statement_timeout; the default is a minute', {
  skip: POSTGRES_SKIP,
  timeout: 30_000,
}, async () => {
  const schema = postgresSchema();
  const pool = new pg.Pool(postgresTarget(POSTGRES_URL!).config);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  const url = new URL(schema.url);
  url.searchParams.set('statement_timeout', '300');
  const store = await openStore(url.href);
  try {
    assert.equal((await pool.query('SHOW statement_timeout')).rows[0].statement_timeout, '1min');
    await store.migrate();
    const source = await store.addSource({ url: 'https://locked.example/feed' });
    await admin.connect();
    await admin.query('BEGIN');
    await admin.query(`SELECT * FROM ${url.searchParams.get('schema')}.sources WHERE id = $1 FOR UPDATE`, [
      source.id,
    ]);
    await assert.rejects(
      store.commitFetch(source.id, { outcome: 'notModified', fetchedAt: new Date(), httpStatus: 304 }),
      /statement timeout/,
    );
    await admin.query('ROLLBACK');
  } finally {
    await admin.end();
    await pool.end();
    await store.close();
    await schema.drop();
  }
});
