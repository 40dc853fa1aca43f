/**
 * A river for the planet features, in a real SQLite store: sources with categories (nested), posts with
 * tags over three months, and one article that three aggregators carried (stored once).
 */
import type { FeedItem } from '../../src/model.js';
import type { Source, Store } from '../../src/store/index.js';
import { tempStore } from '../publish/fixtures.js';

export interface PlanetFixture {
  store: Store;
  dir: string;
  ada: Source;
  grace: Source;
  planet: Source;
  digest: Source;
  weekly: Source;
}

const FETCHED = new Date('2024-05-10T00:00:00Z');

function item(id: string, title: string, date: string, tags?: string[], url?: string): FeedItem {
  return {
    id: `tag:example.org,2024:${id}`,
    url: url ?? `https://posts.example.org/${id}`,
    title,
    content_html: `<p>${title}.</p>`,
    date_published: `${date}T10:00:00Z`,
    ...(tags && { tags }),
  };
}

export async function planetFixture(): Promise<PlanetFixture> {
  const { store, dir } = await tempStore();
  const add = (url: string, name: string, categories?: string[]) =>
    store.addSource({ url, name, ...(categories && { options: { categories } }) });
  const ada = await add('https://ada.example.org/feed.xml', "Ada's Notebook", ['Tech/Hardware', 'History']);
  const grace = await add('https://grace.example.net/rss', 'Compilers & Co', ['Tech/Languages']);
  const planet = await add('https://planet.example.net/atom.xml', 'Planet Net', ['Aggregators']);
  const digest = await add('https://digest.example.com/rss', 'Digest');
  const weekly = await add('https://weekly.example.com/rss', 'Weekly');
  const commit = (source: Source, items: FeedItem[]) =>
    store.commitFetch(source.id, { outcome: 'ok', fetchedAt: FETCHED, items, httpStatus: 200 });

  await commit(ada, [
    item('ada-1', 'Analytical engines', '2024-05-09', ['Engines', 'History']),
    item('ada-2', 'Looms and cards', '2024-04-20', ['history']),
    item('ada-3', 'Notes on Note G', '2024-03-15', ['History', 'C++ & Go']),
  ]);
  await commit(grace, [
    item('grace-1', 'Nanoseconds', '2024-05-08', ['hardware']),
    item('grace-2', 'A compiler', '2024-04-02', ['History', 'Compilers']),
  ]);
  // One article, three aggregators, three tracking parameters: one post.
  const shared = (via: string) =>
    item(
      `${via}-1`,
      'Shared article',
      '2024-05-07',
      undefined,
      `https://blog.example.com/posts/shared?utm_source=${via}`,
    );
  for (const [source, via] of [
    [planet, 'planet'],
    [digest, 'digest'],
    [weekly, 'weekly'],
  ] as const)
    await commit(source, [shared(via)]);
  return { store, dir, ada, grace, planet, digest, weekly };
}
