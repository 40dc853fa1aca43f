/**
 * A mistyped database path must not become a new empty database: only the commands that fill one (`run`,
 * `refresh`, `worker`, `migrate`) may create it; the ones that read refuse, and `build --out` will not put
 * an empty site over a published one.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { POSTGRES_SKIP, POSTGRES_URL, postgresSchema } from '../store/backends.js';
import { filesIn, runCli, tempDir } from './cli.js';

const dir = tempDir('database');
after(() => rmSync(dir, { recursive: true, force: true }));

/** A config whose database is `database` (relative to the config file). */
function project(name: string, database: string): string {
  const root = join(dir, name);
  mkdirSync(root);
  writeFileSync(
    join(root, 'tributary.yaml'),
    `database: ${database}\nsources:\n  - https://a.example/feed\n`,
  );
  return root;
}

const READERS = [['serve', '--listen', '127.0.0.1:0'], ['build', '--out', 'site'], ['list'], ['export']];

for (const args of READERS) {
  test(`${args[0]} on a database that does not exist: refused, no file created`, {
    timeout: 30_000,
  }, async () => {
    const root = project(args[0]!, 'data/mistyped.db');
    const { code, stderr } = await runCli(args, { cwd: root, timeoutMs: 20_000 });
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`no database at ${join(root, 'data/mistyped.db')}; run \`tributary refresh\` first`),
    );
    assert.deepEqual(filesIn(root), ['tributary.yaml'], 'no database, folder or site written');
  });
}

test('migrate creates the database; then build reads it', async () => {
  const root = project('migrate', 'river.db');
  const migrated = await runCli(['migrate'], { cwd: root });
  assert.equal(migrated.code, 0, migrated.stderr);
  assert.ok(existsSync(join(root, 'river.db')));
  const built = await runCli(['build', '--out', 'site'], { cwd: root });
  assert.equal(built.code, 0, built.stderr);
  assert.ok(existsSync(join(root, 'site', 'index.html')));
});

test('build --out refuses to put a site of 0 posts over a folder that holds files, unless --force', async () => {
  const root = project('published', 'river.db');
  assert.equal((await runCli(['migrate'], { cwd: root })).code, 0);
  const site = join(root, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), 'the published river');
  const refused = await runCli(['build', '--out', 'site'], { cwd: root });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /0 posts.*--force/);
  assert.equal(readFileSync(join(site, 'index.html'), 'utf8'), 'the published river');
  const forced = await runCli(['build', '--out', 'site', '--force'], { cwd: root });
  assert.equal(forced.code, 0, forced.stderr);
  assert.notEqual(readFileSync(join(site, 'index.html'), 'utf8'), 'the published river');
});

describe('postgres', { skip: POSTGRES_SKIP }, () => {
  test('a schema with no tables is a missing database: list and serve refuse and create nothing', async () => {
    const schema = postgresSchema();
    const name = new URL(schema.url).searchParams.get('schema');
    const root = project('postgres', 'unused.db');
    try {
      for (const args of [['list'], ['serve', '--listen', '127.0.0.1:0']]) {
        const { code, stderr } = await runCli(args, {
          cwd: root,
          env: { TRIBUTARY_DATABASE_URL: schema.url },
        });
        assert.equal(code, 1, stderr);
        assert.match(stderr, /no database at postgres:\/\/.*; run `tributary refresh` first/);
      }
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      const { rows } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
      await admin.end();
      assert.equal(rows.length, 0, 'no schema created');
    } finally {
      await schema.drop();
    }
  });
});
