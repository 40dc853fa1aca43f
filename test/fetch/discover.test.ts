/** Autodiscovery: feed sniffing, page links, YouTube, well-known paths, against a loopback site. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { discover, discoverWith } from '../../src/fetch/discover.js';
import { closeDispatchers } from '../../src/fetch/http-client.js';
import { looksLikeFeed } from '../../src/fetch/sniff.js';
import { channelIdFromPage, youtubeFeedForUrl } from '../../src/fetch/youtube.js';
import { scanPage } from '../../src/parse/html-page.js';
import { type FixtureServer, type Handler, redirect, respond, startFixtureServer } from './fixture-server.js';

const RSS =
  '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>t</title></channel></rss>';
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const policy = { allowPrivateNetworks: true, timeoutMs: 4000 };
const T = { timeout: 8000 };
const CHANNEL = 'UCabcdefghijklmnopqrstuv'; // 24 characters, like a real channel id

const BLOG_PAGE = `<!doctype html><html><head>
<title>A blog</title>
<link rel="alternate" type="application/rss+xml" title="Posts" href="rss.xml">
<base href="/blog/">
<link rel="stylesheet" type="text/css" href="style.css">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" title=" Atom &amp; more " href="/blog/atom.xml">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">
<link rel="alternate" type="application/json" title="JSON" href="feed.json">
<link rel="alternate" type="application/feed+json" href="https://feeds.example.org/blog.json">
<link rel="alternate" type="application/rss+xml" title="Posts again" href="/blog/rss.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" title="Internal" href="http://10.0.0.5/feed">
</head><body><p>hello</p></body></html>`;

// A CMS template around its Atom output: parseFeed reads the feed inside, so discovery must find it too.
const WRAPPED_ATOM = `<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Feed</title></head><body><div class="content">
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wrapped</title><id>urn:x:wrapped</id>
<entry><id>urn:x:1</id><title>One</title><updated>2024-01-01T00:00:00Z</updated></entry></feed>
</div></body></html>`;
const BARE_JSON_FEED = JSON.stringify({
  version: '1.1',
  title: 'Bare',
  items: [{ id: '1', content_text: 'x' }],
});

let site: FixtureServer;
let bare: FixtureServer;
let locked: FixtureServer;

/** Answers only requests carrying alice:s3cret as Basic auth (a private site). */
const BASIC = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
const behindAuth =
  (handler: Handler): Handler =>
  (req, res, server) =>
    req.headers.authorization === BASIC ? handler(req, res, server) : void res.writeHead(401).end();
const LOCKED_PAGE = `<html><head>
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" type="application/feed+json" href="https://feeds.example.org/blog.json">
</head></html>`;

before(async () => {
  site = await startFixtureServer({
    '/blog/post': respond(200, HTML, BLOG_PAGE),
    '/feed-as-html': respond(200, HTML, RSS),
    '/missing': respond(404, HTML, '<h1>nope</h1>'),
    '/wrapped': respond(200, { 'content-type': 'application/xhtml+xml' }, WRAPPED_ATOM),
    '/bare.json': respond(200, { 'content-type': 'application/json' }, BARE_JSON_FEED),
  });
  // A site whose pages advertise nothing: only the well-known paths can find its feed.
  bare = await startFixtureServer({
    '/about': respond(200, HTML, '<html><head><title>About</title></head><body>no links</body></html>'),
    '/rss.xml': redirect(301, '/feed.xml'),
    '/atom.xml': respond(200, HTML, '<html><body>Page not found (but 200)</body></html>'),
    '/feed.xml': respond(200, { 'content-type': 'application/rss+xml' }, RSS),
  });
  locked = await startFixtureServer({
    '/blog': behindAuth(respond(200, HTML, LOCKED_PAGE)),
    '/about': behindAuth(respond(200, HTML, '<html><body>no links</body></html>')),
    '/moved': behindAuth(redirect(302, '/feed.xml')),
    '/feed.xml': behindAuth(respond(200, { 'content-type': 'application/rss+xml' }, RSS)),
  });
});

after(() => Promise.all([site.close(), bare.close(), locked.close(), closeDispatchers()]));

describe('discover', () => {
  test(
    'collects <link rel=alternate> feeds, resolved against <base>, http(s) only, de-duplicated',
    T,
    async () => {
      const { candidates, page } = await discover(site.url('/blog/post'), { policy });
      assert.equal(page?.kind, 'ok');
      assert.deepEqual(candidates, [
        { url: site.url('/blog/rss.xml'), type: 'application/rss+xml', title: 'Posts', via: 'link' },
        { url: site.url('/blog/atom.xml'), type: 'application/atom+xml', title: 'Atom & more', via: 'link' },
        { url: 'https://feeds.example.org/blog.json', type: 'application/feed+json', via: 'link' },
        { url: 'http://10.0.0.5/feed', type: 'application/rss+xml', title: 'Internal', via: 'link' },
        { url: site.url('/blog/feed.json'), type: 'application/json', title: 'JSON', via: 'link' },
      ]);
    },
  );

  test('with the guard on, candidates on private addresses are dropped', T, async () => {
    const { candidates } = await discoverWith(
      site.url('/blog/post'),
      { policy: { ...policy, allowPrivateNetworks: false } },
      { trustedOrigins: [site.origin] },
    );
    assert.ok(candidates.length === 4, JSON.stringify(candidates));
    assert.ok(!candidates.some((c) => c.url.includes('10.0.0.5')));
  });

  test(
    'a URL that already is a feed is returned as itself, body included, whatever its Content-Type',
    T,
    async () => {
      const { candidates, page } = await discover(site.url('/feed-as-html'), { policy });
      assert.deepEqual(candidates, [{ url: site.url('/feed-as-html'), via: 'self' }]);
      assert.equal(page?.kind === 'ok' && Buffer.from(page.body).toString(), RSS);
    },
  );

  test(
    'whatever parseFeed reads is a feed here too: an Atom feed inside an XHTML page, a bare JSON Feed version',
    T,
    async () => {
      for (const path of ['/wrapped', '/bare.json']) {
        const { candidates } = await discover(site.url(path), { policy });
        assert.deepEqual(candidates, [{ url: site.url(path), via: 'self' }], path);
      }
    },
  );

  test('a page without links falls back to well-known paths, keeping only real feeds', T, async () => {
    const { candidates } = await discover(bare.url('/about'), { policy });
    // /rss.xml redirects to /feed.xml (one candidate, not two); /atom.xml is an HTML soft-404.
    assert.deepEqual(candidates, [{ url: bare.url('/feed.xml'), via: 'well-known' }]);
    const probed = bare.requests.map((r) => r.path);
    for (const path of ['/feed', '/rss.xml', '/atom.xml', '/feed.xml', '/index.xml'])
      assert.ok(probed.includes(path), path);
  });

  test('the credentials of a page behind Basic auth stay on the feeds of its own origin', T, async () => {
    const withAuth = (path: string) => `http://alice:s3cret@127.0.0.1:${locked.port}${path}`;
    const linked = await discover(withAuth('/blog'), { policy });
    assert.deepEqual(
      linked.candidates.map((c) => c.url),
      [withAuth('/feed.xml'), 'https://feeds.example.org/blog.json'],
    );
    const probed = await discover(withAuth('/about'), { policy });
    assert.deepEqual(probed.candidates, [{ url: withAuth('/feed.xml'), via: 'well-known' }]);
    const self = await discover(withAuth('/moved'), { policy });
    assert.deepEqual(self.candidates, [{ url: withAuth('/feed.xml'), via: 'self' }]);
  });

  test('a page that fails yields no candidates and says why', T, async () => {
    const { candidates, page } = await discover(site.url('/missing'), { policy });
    assert.deepEqual(candidates, []);
    assert.equal(page?.kind, 'failed');
    assert.equal(page?.kind === 'failed' && page.status, 404);
  });

  test('a YouTube channel URL maps to its feed without fetching', T, async () => {
    const { candidates, page } = await discover(`https://www.youtube.com/channel/${CHANNEL}/videos`);
    assert.deepEqual(candidates, [
      { url: `https://www.youtube.com/feeds/videos.xml?channel_id=${CHANNEL}`, via: 'youtube' },
    ]);
    assert.equal(page, undefined);
  });
});

describe('youtube', () => {
  test('channel and playlist URLs map directly; other URLs do not', () => {
    assert.equal(
      youtubeFeedForUrl(new URL(`https://youtube.com/channel/${CHANNEL}`)),
      `https://www.youtube.com/feeds/videos.xml?channel_id=${CHANNEL}`,
    );
    assert.equal(
      youtubeFeedForUrl(new URL('https://m.youtube.com/playlist?list=PLabc-123_x')),
      'https://www.youtube.com/feeds/videos.xml?playlist_id=PLabc-123_x',
    );
    assert.equal(youtubeFeedForUrl(new URL('https://www.youtube.com/@somebody')), undefined);
    assert.equal(youtubeFeedForUrl(new URL('https://www.youtube.com/channel/UCshort')), undefined);
    assert.equal(youtubeFeedForUrl(new URL(`https://example.org/channel/${CHANNEL}`)), undefined);
  });

  const handlePage = (head: string, body = '') => `<html><head>${head}</head><body>${body}</body></html>`;
  const channelOf = (html: string) =>
    channelIdFromPage({ ...scanPage(html, 'https://www.youtube.com/@somebody'), html });

  test('a handle page names its channel by meta, canonical link or page JSON', () => {
    assert.equal(channelOf(handlePage(`<meta itemprop="channelId" content="${CHANNEL}">`)), CHANNEL);
    assert.equal(
      channelOf(handlePage(`<link rel="canonical" href="https://www.youtube.com/channel/${CHANNEL}">`)),
      CHANNEL,
    );
    assert.equal(
      channelOf(
        handlePage('', `<script>var ytInitialData = {"metadata":{"channelId":"${CHANNEL}"}};</script>`),
      ),
      CHANNEL,
    );
    assert.equal(
      channelOf(handlePage('<link rel="canonical" href="https://www.youtube.com/@somebody">')),
      undefined,
    );
  });

  test('a handle page that advertises its feed is found by the link scan', () => {
    const html = handlePage(
      `<link rel="alternate" type="application/rss+xml" title="RSS" href="https://www.youtube.com/feeds/videos.xml?channel_id=${CHANNEL}">`,
    );
    assert.deepEqual(scanPage(html, 'https://www.youtube.com/@somebody').feedLinks, [
      {
        url: `https://www.youtube.com/feeds/videos.xml?channel_id=${CHANNEL}`,
        type: 'application/rss+xml',
        title: 'RSS',
      },
    ]);
  });
});

describe('looksLikeFeed', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const feeds: [string, Uint8Array][] = [
    ['RSS', bytes('<rss version="2.0"><channel/></rss>')],
    [
      'RSS after a declaration, stylesheet PI and comment',
      bytes(`${RSS.split('\n')[0]}\n<?xml-stylesheet href="s.xsl"?>\n<!-- hi -->\n<rss>`),
    ],
    ['Atom', bytes('  \n<feed xmlns="http://www.w3.org/2005/Atom">')],
    [
      'RSS 1.0',
      bytes('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'),
    ],
    [
      'RSS 0.91 with a DOCTYPE and internal subset',
      bytes('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss version="0.91">'),
    ],
    ['JSON Feed', bytes('{\n  "version": "https://jsonfeed.org/version/1.1", "title": "x"}')],
    ['UTF-8 BOM', Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes('<rss>')])],
    // As parseFeed reads it (flagged bozo): a PHP notice printed before the feed.
    ['a feed after a plain-text notice', bytes(`Notice: Undefined index in feed.php on line 3\n${RSS}`)],
    ['UTF-16LE BOM', Uint8Array.from([0xff, 0xfe, ...Buffer.from('<?xml version="1.0"?><feed>', 'utf16le')])],
  ];
  for (const [name, body] of feeds) test(`recognises ${name}`, () => assert.equal(looksLikeFeed(body), true));

  const notFeeds: [string, string][] = [
    ['an HTML page', '<!doctype html><html><head><title>x</title>'],
    ['XHTML', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'],
    ['a sitemap', '<?xml version="1.0"?><urlset>'],
    ['other JSON', '{"version": 2, "items": []}'],
    ['an unterminated comment', '<!-- <rss>'],
    ['nothing', ''],
    ['plain text', 'no markup at all'],
  ];
  for (const [name, body] of notFeeds)
    test(`rejects ${name}`, () => assert.equal(looksLikeFeed(bytes(body)), false));
});
