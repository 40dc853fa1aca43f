/**
 * A source's life as an operator lives it, black-box through the built CLI on a real database and loopback
 * HTTP: its feed moves (301), the config loses a line, someone purges. No post is lost or renumbered until
 * someone asks for it to go.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openStore, type StoredEntry } from '../../src/store/index.js';
import { CliProcesses } from '../scale/processes.js';
import { POSTGRES_SKIP, postgresSchema } from '../store/backends.js';
import { type FeedServer, type Route, startFeedServer } from './feed-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-lifecycle-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cli = new CliProcesses({ TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'silent' });
after(() => cli.killAll());
const CLI_TIMEOUT_MS = 60_000;

/** Post i is published i hours after this: recent, so a new source's first fetch is news, not backlog. */
const EPOCH = Date.now() - 24 * 3_600_000;

/** An RSS feed holding posts `indices` of `name`. */
function feedOf(name: string, indices: number[]): string {
  const items = indices.map((i) => {
    const date = new Date(EPOCH + i * 3_600_000).toUTCString();
    return `<item><title>${name} ${i}</title><link>https://${name}.example/posts/${i}</link>
      <guid>https://${name}.example/posts/${i}</guid><pubDate>${date}</pubDate>
      <description>Body ${i}</description></item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title>
    <link>https://${name}.example/</link>${items.join('')}</channel></rss>`;
}

const rss = (body: string): Route => ({ body });

async function entriesBySource(database: string): Promise<Map<string, StoredEntry[]>> {
  const store = await openStore(database);
  try {
    const sources = new Map((await store.listSources()).map((s) => [s.id, s.url]));
    const out = new Map<string, StoredEntry[]>();
    for (const entry of (await store.river({ limit: 1000 })).entries) {
      const url = sources.get(entry.sourceId) ?? `missing source ${entry.sourceId}`;
      out.set(url, [...(out.get(url) ?? []), entry]);
    }
    return out;
  } finally {
    await store.close();
  }
}

/** Title → id of a source's stored posts. */
function ids(entries: StoredEntry[] | undefined): Record<string, number> {
  return Object.fromEntries((entries ?? []).map((e) => [e.item.title, e.id]).sort());
}

const databases = [
  {
    name: 'sqlite',
    skip: false as const,
    open: () => ({ url: join(dir, `lifecycle-${Date.now()}.db`), drop: async () => {} }),
  },
  { name: 'postgres', skip: POSTGRES_SKIP, open: postgresSchema },
];

for (const db of databases) {
  describe(`source lifecycle (${db.name})`, { skip: db.skip }, () => {
    test('a 301 keeps every post and id; a removed line retires; purge deletes and says how many', async () => {
      const database = db.open();
      const server: FeedServer = await startFeedServer(
        new Map([
          ['/old', { status: 301, headers: { location: '/new' }, body: '' }],
          ['/new', rss(feedOf('alpha', [0, 1, 2]))],
          ['/beta', rss(feedOf('beta', [0, 1, 2]))],
        ]),
      );
      try {
        const config = join(dir, `tributary-${db.name}.yaml`);
        const configText = (urls: string[]) =>
          `database: ${JSON.stringify(database.url)}\nsources:\n${urls.map((u) => `  - ${u}\n`).join('')}`;
        const declared = configText([server.url('/old'), server.url('/beta')]);
        writeFileSync(config, declared);
        const run = (...args: string[]) =>
          cli.run(args.join(' '), ['--config', config, ...args], CLI_TIMEOUT_MS);

        await run('refresh', '--all');
        const first = await entriesBySource(database.url);
        const alphaIds = ids(first.get(server.url('/old')));
        assert.deepEqual(Object.keys(alphaIds), ['alpha 0', 'alpha 1', 'alpha 2']);

        await run('refresh', '--all'); // the second sighting confirms the move
        await run('list');
        // The upstream feed moves on: post 0 leaves it, post 3 arrives.
        server.routes.set('/new', rss(feedOf('alpha', [1, 2, 3])));
        for (let i = 0; i < 3; i++) await run('refresh', '--all');

        const later = await entriesBySource(database.url);
        const alphaLater = ids(later.get(server.url('/old')));
        assert.deepEqual(
          alphaLater,
          { ...alphaIds, 'alpha 3': alphaLater['alpha 3']! },
          'same ids, none lost',
        );
        assert.equal(server.hits.get('/old'), 2, 'after the move the new URL is polled directly');
        assert.equal(readFileSync(config, 'utf8'), declared, 'the config is never rewritten');
        const listed = JSON.parse((await run('list', '--json')).stdout()) as Record<string, unknown>[];
        const alpha = listed.find((s) => s.url === server.url('/old'));
        assert.equal(alpha?.movedTo, server.url('/new'));
        assert.match(String(alpha?.note), /moved permanently to .*\/new; update your config/);
        const human = (await run('list')).stdout();
        assert.match(human, /moved permanently to \S+\/new; update your config/);

        // A line leaves the config: the source is retired, its posts stay; then a purge deletes them.
        const betaIds = ids(later.get(server.url('/beta')));
        writeFileSync(config, configText([server.url('/old')]));
        const betaHits = server.hits.get('/beta');
        await run('refresh', '--all');
        assert.equal(server.hits.get('/beta'), betaHits, 'a retired source is not polled');
        assert.deepEqual(ids((await entriesBySource(database.url)).get(server.url('/beta'))), betaIds);
        const retired = (
          JSON.parse((await run('list', '--json')).stdout()) as Record<string, unknown>[]
        ).find((s) => s.url === server.url('/beta'));
        assert.equal(retired?.status, 'retired');

        const purge = await run('purge', server.url('/beta'));
        assert.match(purge.stdout(), /deleted 3 post\(s\)/);
        const purged = await entriesBySource(database.url);
        assert.equal(purged.get(server.url('/beta')), undefined);
        assert.deepEqual(ids(purged.get(server.url('/old'))), alphaLater, 'the other source is untouched');
      } finally {
        await server.close();
        await database.drop();
      }
    });
  });
}
