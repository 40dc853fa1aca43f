// The feeds the refresh bench serves and parses: the real-world corpus from ../shared, else a few generated
// feeds. Source i of the bench gets feed i % feeds.length (round-robin), in the server and in the runner alike.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../dist/schedule/index.js';

const realworld = fileURLToPath(new URL('../../../shared/corpus/realworld/', import.meta.url));

const CONTENT_TYPES = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  rdf: 'application/rdf+xml',
  json: 'application/feed+json',
};

/** `{ source, feeds: [{ name, bytes, contentType, digest }] }`; `digest` seeds the ETags. */
export function loadCorpus() {
  const manifestPath = join(realworld, 'manifest.json');
  if (!existsSync(manifestPath)) {
    return { source: 'generated (../shared absent: figures are rough)', feeds: generatedFeeds() };
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const feeds = manifest.map((entry) => {
    const bytes = readFileSync(join(realworld, entry.file));
    // 'unknown' files are served as generic XML: the parser decides, as it would for a real server.
    return {
      name: entry.file,
      bytes,
      contentType: CONTENT_TYPES[entry.format] ?? 'application/xml',
      digest: entry.sha256,
    };
  });
  return { source: `../shared/corpus/realworld (${feeds.length} files)`, feeds };
}

/** URL of source `index` on the bench server. */
export function sourceUrl(origin, index) {
  return `${origin}/feed/${index}`;
}

/** A few deterministic RSS, Atom and JSON feeds with HTML bodies, for when ../shared is absent. */
function generatedFeeds() {
  const random = seededRandom(3);
  const word = () =>
    ['river', 'feed', 'planet', 'post', 'tributary', 'news', 'delta'][Math.floor(random() * 7)];
  const sentence = (n) => Array.from({ length: n }, word).join(' ');
  const items = (feed) =>
    Array.from({ length: 25 }, (_, i) => ({
      id: `https://example.org/${feed}/${i}`,
      title: sentence(5),
      html: `<p>${sentence(40)} <a href="/${feed}/${i}">more</a></p><ul><li>${sentence(8)}</li></ul>`,
      date: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000),
    }));
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rss = (name) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>https://example.org/${name}</link>` +
    items(name)
      .map(
        (it) =>
          `<item><title>${it.title}</title><link>${it.id}</link><guid>${it.id}</guid>` +
          `<pubDate>${it.date.toUTCString()}</pubDate><description>${esc(it.html)}</description></item>`,
      )
      .join('') +
    '</channel></rss>';
  const atom = (name) =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${name}</title><id>urn:${name}</id>` +
    `<updated>2024-02-01T00:00:00Z</updated>` +
    items(name)
      .map(
        (it) =>
          `<entry><title>${it.title}</title><id>${it.id}</id><link href="${it.id}"/>` +
          `<updated>${it.date.toISOString()}</updated><content type="html">${esc(it.html)}</content></entry>`,
      )
      .join('') +
    '</feed>';
  const json = (name) =>
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: name,
      items: items(name).map((it) => ({
        id: it.id,
        url: it.id,
        title: it.title,
        content_html: it.html,
        date_published: it.date.toISOString(),
      })),
    });
  const made = [
    ['generated-a.rss', rss, CONTENT_TYPES.rss],
    ['generated-b.atom', atom, CONTENT_TYPES.atom],
    ['generated-c.json', json, CONTENT_TYPES.json],
    ['generated-d.rss', rss, CONTENT_TYPES.rss],
  ];
  return made.map(([name, render, contentType]) => {
    const bytes = Buffer.from(render(name));
    return { name, bytes, contentType, digest: createHash('sha256').update(bytes).digest('hex') };
  });
}
