/**
 * A small river in a real SQLite store, shared by the publish and server tests: three sources that
 * exercise the three attribution fallbacks, posts over several days, media, a YouTube video, a plain-text
 * post, and a fetch log with good and bad fetches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeedItem } from '../../src/model.js';
import type { SiteInfo } from '../../src/publish/index.js';
import { openStore, type Source, type Store } from '../../src/store/index.js';

export const NOW = new Date('2024-05-10T12:00:00Z');
export const SITE: SiteInfo = {
  title: 'Planet Test',
  url: 'https://planet.example.org/',
  description: 'Posts from a few test blogs',
};

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

export interface Fixture {
  store: Store;
  dir: string;
  /** Entry authors present: the first author's name is used. */
  ada: Source;
  /** No entry authors, a configured author. */
  grace: Source;
  /** No entry authors, no configured author, no configured name: the feed's title. */
  titled: Source;
  cleanup(): Promise<void>;
}

export async function tempStore(): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-publish-'));
  const store = await openStore(`sqlite:${join(dir, 'river.db')}`);
  await store.migrate();
  return { store, dir };
}

export async function riverFixture(): Promise<Fixture> {
  const { store, dir } = await tempStore();
  const ada = await store.addSource({ url: 'https://ada.example.org/feed.xml', name: "Ada's Notebook" });
  const grace = await store.addSource({
    url: 'https://grace.example.net/rss',
    name: 'Compilers & Co',
    author: 'Grace Hopper',
  });
  const titled = await store.addSource({ url: 'https://video.example.com/channel.atom' });

  await store.commitFetch(ada.id, {
    outcome: 'ok',
    fetchedAt: hoursAgo(30),
    feed: { title: 'Ada feed', homePageUrl: 'https://ada.example.org/' },
    httpStatus: 200,
    durationMs: 120,
    nextFetchAt: hoursAgo(-1),
    items: [
      post('ada-1', 'Analytical engines', 50, {
        authors: [
          { name: 'Ada Lovelace', url: 'https://ada.example.org/about' },
          { name: 'Charles Babbage' },
        ],
        content_html:
          '<p>The engine <em>weaves</em> algebraic patterns.</p><ul><li>cards</li><li>mill</li></ul>',
        tags: ['engines', 'history'],
      }),
      post('ada-2', 'A podcast about looms', 26, {
        authors: [{ name: 'Ada Lovelace' }],
        attachments: [
          { url: 'https://cdn.example.org/loom.mp3', mime_type: 'audio/mpeg', size_in_bytes: 12345 },
          { url: 'https://cdn.example.org/notes.pdf', mime_type: 'application/pdf', title: 'Show notes' },
        ],
      }),
    ],
  });
  await store.commitFetch(ada.id, {
    outcome: 'failed',
    fetchedAt: hoursAgo(6),
    error: 'connection reset',
    durationMs: 3000,
  });

  await store.commitFetch(grace.id, {
    outcome: 'ok',
    fetchedAt: hoursAgo(3),
    feed: { title: 'Grace feed', homePageUrl: 'https://grace.example.net/' },
    httpStatus: 200,
    durationMs: 80,
    nextFetchAt: hoursAgo(-2),
    items: [
      post('grace-1', 'Nanoseconds & <wire>', 4, { content_html: '<p>A foot of wire is a nanosecond.</p>' }),
      post('grace-2', 'Plain text thoughts', 28, { content_text: 'First line.\n\nSecond <para> & more.' }),
      post('grace-3', 'Debugging', 75, { content_html: '<p>We found a moth.</p>' }),
    ],
  });

  await store.commitFetch(titled.id, {
    outcome: 'ok',
    fetchedAt: hoursAgo(2),
    feed: { title: 'Video Channel', homePageUrl: 'https://video.example.com/' },
    httpStatus: 200,
    durationMs: 200,
    nextFetchAt: hoursAgo(-3),
    items: [
      post('vid-1', 'A short film', 2, {
        _youtube_id: 'dQw4w9WgXcQ',
        content_html: '<p>Watch this.</p>',
        attachments: [{ url: 'https://cdn.example.com/film.mp4', mime_type: 'video/mp4' }],
      }),
    ],
  });

  const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
  return {
    store,
    dir,
    ada: sources.get(ada.id)!,
    grace: sources.get(grace.id)!,
    titled: sources.get(titled.id)!,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function post(slug: string, title: string, hours: number, more: Partial<FeedItem>): FeedItem {
  const host = slug.startsWith('ada')
    ? 'ada.example.org'
    : slug.startsWith('grace')
      ? 'grace.example.net'
      : 'video.example.com';
  return {
    id: `tag:${host},2024:${slug}`,
    url: `https://${host}/posts/${slug}`,
    title,
    date_published: hoursAgo(hours).toISOString().replace('.000Z', 'Z'),
    ...more,
  };
}
