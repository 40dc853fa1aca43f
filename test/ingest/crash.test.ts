/**
 * Exactly once under crashes: `tributary refresh` is SIGKILLed 50 times at seeded, chosen points of the
 * pipeline (before a fetch, after a parse, inside a commit's transaction: TRIBUTARY_CRASH_AT, see
 * src/crash-point.ts), while the feeds keep growing, one feed moves (301) and one source leaves the config.
 * Then every post that was ever served is stored exactly once, the moved source kept its identity, and the
 * retired source kept its posts and their ids. The points are counted, not timed, so the test proves the
 * same thing on an idle laptop and a loaded CI machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src/schedule/index.js';
import { openStore, type Source, type Store } from '../../src/store/index.js';
import { POSTGRES_SKIP, postgresSchema } from '../store/backends.js';
import { type FeedServer, type Route, rssFeed, startFeedServer } from './feed-server.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const SOURCES = 24;
const KILLS = 50;
/** Its config line says /old23.xml, which answers 301 → /feed23.xml. */
const MOVED = 23;
/** Leaves the config halfway through. */
const RETIRED = 22;
const POINTS = ['fetch', 'parse', 'commit'] as const;

let server: FeedServer;
let dir: string;
before(async () => {
  server = await startFeedServer(new Map());
  dir = mkdtempSync(join(tmpdir(), 'tributary-crash-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const feedName = (i: number) => `site${i}`;
const declaredUrl = (i: number) => server.url(i === MOVED ? `/old${i}.xml` : `/feed${i}.xml`);

/** Serves every feed at its current length; the moved one behind a permanent redirect. */
function publish(routes: Map<string, Route>, generation: number[]): void {
  for (let i = 0; i < SOURCES; i++)
    routes.set(`/feed${i}.xml`, { body: rssFeed(feedName(i), generation[i]!) });
  routes.set(`/old${MOVED}.xml`, { status: 301, headers: { location: `/feed${MOVED}.xml` }, body: '' });
}

function writeConfig(path: string, database: string, sources: number[]): void {
  const lines = sources.map((i) => `  - ${declaredUrl(i)}`).join('\n');
  // One parse thread: the N-th parse is counted by one thread, so the chosen point is always reached.
  writeFileSync(
    path,
    `database: ${JSON.stringify(database)}\nfetch:\n  concurrency: 4\n  parse_threads: 1\nsources:\n${lines}\n`,
  );
}

/** Runs `tributary refresh --all`, armed to SIGKILL itself at `crashAt` when given. */
function refresh(config: string, crashAt?: string): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(process.execPath, [CLI, '--config', config, 'refresh', '--all', '--no-progress'], {
    env: {
      ...process.env,
      TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1',
      TRIBUTARY_LOG_LEVEL: 'silent',
      ...(crashAt && { TRIBUTARY_CRASH_AT: crashAt }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) reject(new Error(`refresh exited ${code}: ${stderr}`));
      else resolve({ code, signal });
    });
  });
}

/** `url title` of every post of a source, with its entry id. */
async function postsOf(store: Store, source: Source): Promise<Map<string, number>> {
  const posts = new Map<string, number>();
  let page = await store.river({ limit: 500, sourceId: source.id });
  for (let guard = 0; guard < 100; guard++) {
    for (const e of page.entries) {
      const key = `${e.item.url} ${e.item.title}`;
      assert.ok(!posts.has(key), `duplicated post ${key}`);
      posts.set(key, e.id);
    }
    if (!page.next) break;
    page = await store.river({ limit: 500, sourceId: source.id, before: page.next });
  }
  return posts;
}

/** What a source must hold: every post its feed ever served (feeds only grow). */
function served(i: number, count: number): string[] {
  return Array.from(
    { length: count },
    (_, n) => `https://${feedName(i)}.example/posts/${n} ${feedName(i)} post ${n}`,
  );
}

async function withStore<T>(database: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(database);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

const databases = [
  {
    name: 'sqlite',
    skip: false as const,
    open: () => ({ url: join(dir, 'crashed.db'), drop: async () => {} }),
  },
  { name: 'postgres', skip: POSTGRES_SKIP, open: postgresSchema },
];

for (const db of databases) {
  describe(`crash safety (${db.name})`, { skip: db.skip }, () => {
    test(`SIGKILL at ${KILLS} seeded points loses and duplicates nothing`, { timeout: 300_000 }, async () => {
      const database = db.open();
      const random = seededRandom(20261202);
      const generation = new Array<number>(SOURCES).fill(6);
      publish(server.routes, generation);
      const config = join(dir, `crashed-${db.name}.yaml`);
      let active = Array.from({ length: SOURCES }, (_, i) => i);
      writeConfig(config, database.url, active);
      let retiredPosts: Map<string, number> | undefined;
      try {
        const kills: string[] = [];
        for (let round = 0; round < KILLS; round++) {
          if (round === KILLS / 2) {
            // A clean pass, then a line leaves the config: that source's posts must stay as they are now.
            await refresh(config);
            retiredPosts = await withStore(database.url, async (store) => {
              const source = (await store.listSources()).find((s) => s.url === declaredUrl(RETIRED))!;
              return postsOf(store, source);
            });
            active = active.filter((i) => i !== RETIRED);
            writeConfig(config, database.url, active);
          }
          // New posts on three sites each round: bytes never served before, so each of them is parsed.
          const grown = new Set<number>();
          for (let k = 0; k < 3; k++) {
            const i = active[Math.floor(random() * active.length)]!;
            generation[i]! += 1 + (round % 3);
            grown.add(i);
          }
          publish(server.routes, generation);
          const point = POINTS[Math.floor(random() * POINTS.length)]!;
          // Every pass fetches and commits each active source, and parses at least the grown feeds.
          const reachable = point === 'parse' ? grown.size : active.length;
          const crashAt = `${point}:${1 + Math.floor(random() * reachable)}`;
          const result = await refresh(config, crashAt);
          assert.equal(
            result.signal,
            'SIGKILL',
            `round ${round}: the run armed at ${crashAt} was not killed`,
          );
          kills.push(crashAt);
        }
        assert.deepEqual(new Set(kills.map((k) => k.split(':')[0])), new Set(POINTS), 'every point was hit');
        await refresh(config); // the pass after the last crash catches up

        await withStore(database.url, async (store) => {
          const sources = await store.listSources();
          assert.equal(sources.length, SOURCES, 'no source lost or added twice');
          for (let i = 0; i < SOURCES; i++) {
            const source = sources.find((s) => s.url === declaredUrl(i));
            assert.ok(source, `source ${i} kept its declared URL`);
            const posts = await postsOf(store, source);
            if (i === RETIRED) {
              assert.ok(source.retiredAt, 'the source that left the config is retired');
              assert.deepEqual(posts, retiredPosts, 'a retired source keeps its posts and their ids');
            } else {
              assert.deepEqual([...posts.keys()].sort(), served(i, generation[i]!).sort(), `source ${i}`);
            }
          }
          const moved = sources.find((s) => s.url === declaredUrl(MOVED))!;
          assert.equal(
            moved.movedTo,
            server.url(`/feed${MOVED}.xml`),
            'the move was learned, not written over',
          );
          assert.equal((await store.stats()).entries, await totalPosts(store), 'no post outside its source');
        });
      } finally {
        await database.drop();
      }
    });
  });
}

/** Every stored post, counted through the river of each source (backlog included). */
async function totalPosts(store: Store): Promise<number> {
  let total = 0;
  for (const source of await store.listSources()) total += (await postsOf(store, source)).size;
  return total;
}
