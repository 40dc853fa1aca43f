/**
 * A planet of people in a real SQLite store, synced from config entries as `run` does: Jo Doe writes two
 * feeds (an http face, proxied; a homepage), Ann one (an https face), Bob's feed gives its own face (learned
 * at fetch), Theo's face is a theme file, and a real loopback server serves the face images.
 */

import { rmSync } from 'node:fs';
import http from 'node:http';
import type { SourceConfig } from '../../src/config/config.js';
import { syncSources } from '../../src/ingest/sync-sources.js';
import type { FeedItem } from '../../src/model.js';
import type { Source, Store } from '../../src/store/index.js';
import { tempStore } from '../publish/fixtures.js';
import { listen } from './helpers.js';
import { PNG } from './image-fixtures.js';

export interface PeopleFixture {
  store: Store;
  /** The loopback server of the face images; `faces.url('/jo.png')`. */
  faces: { url(path: string): string; requests: string[] };
  /** Sources by their config name. */
  sources: Map<string, Source>;
  close(): Promise<void>;
}

const FETCHED = new Date('2024-05-10T00:00:00Z');

export async function peopleFixture(extraPeople = 0): Promise<PeopleFixture> {
  const requests: string[] = [];
  const server = await listen(
    http.createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG.length });
      response.end(PNG);
    }),
  );
  const faces = { url: (path: string) => `${server.base}${path}`, requests };
  const { store, dir } = await tempStore();
  const config: SourceConfig[] = [
    {
      url: 'https://jo.example/feed',
      name: 'Jo writes',
      person: 'Jo Doe',
      face: faces.url('/jo.png'),
      homepage: 'https://jo.example/about',
    },
    { url: 'https://photos.example/jo.xml', name: 'Jo shoots', person: 'jo doe' },
    { url: 'https://ann.example/feed', name: 'Ann', face: 'https://faces.example/ann.png' },
    { url: 'https://bob.example/feed', name: 'Bob' },
    { url: 'https://theo.example/feed', name: 'Theo', face: 'faces/theo.png' },
    ...Array.from({ length: extraPeople }, (_, i) => ({
      url: `https://reader${i}.example/feed`,
      name: `Reader ${String(i).padStart(3, '0')}`,
    })),
  ];
  await syncSources(store, config, FETCHED);
  const sources = new Map((await store.listSources()).map((s) => [s.name!, s]));
  const post = (slug: string, day: number): FeedItem => ({
    id: `https://posts.example/${slug}`,
    url: `https://posts.example/${slug}`,
    title: `Post by ${slug}`,
    content_html: `<p>${slug} writes.</p>`,
    date_published: `2024-05-0${day}T10:00:00Z`,
  });
  for (const [name, day, feedFace] of [
    ['Jo writes', 9, undefined],
    ['Jo shoots', 8, undefined],
    ['Ann', 7, undefined],
    ['Bob', 6, faces.url('/bob.png')],
    ['Theo', 5, undefined],
  ] as const) {
    await store.commitFetch(sources.get(name)!.id, {
      outcome: 'ok',
      fetchedAt: FETCHED,
      items: [post(name.toLowerCase().replace(/ /g, '-'), day)],
      httpStatus: 200,
      feed: { title: `${name} (feed title)`, ...(feedFace && { face: feedFace }) },
    });
  }
  return {
    store,
    faces,
    sources: new Map((await store.listSources()).map((s) => [s.name!, s])),
    async close() {
      await store.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
