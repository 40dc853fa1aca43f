/** An LWN-style headline feed: RSS 2.0, short HTML descriptions, dc:creator and categories. */
import { terminal } from '../art.js';
import {
  type DemoFeed,
  type DemoImage,
  type DemoPost,
  type DemoSite,
  rssDate,
  url,
  xmlEscape,
} from '../sample-feed.js';

interface Headline extends DemoPost {
  category: string;
  /** HTML, escaped into <description> as LWN does. */
  description: string;
}

const TIDEWATER: DemoImage = {
  path: '/kwn/images/tidewater-0.9.png',
  type: 'image/png',
  svg: terminal([
    '$ tidewater check /dev/vdb1',
    'inode 4711: link count 2, found 1 directory entry',
    '  why: the second entry was in a block freed at',
    '       the last unclean unmount (journal seq 88412)',
    '  repair: link count set to 1',
    '1 repair, 0 questions. Filesystem is clean.',
  ]),
};

const POSTS: readonly Headline[] = [
  {
    title: '[$] A second look at folio-based writeback',
    author: 'hfischer',
    path: '/kwn/Articles/981204/',
    hoursAgo: 5,
    category: 'Kernel',
    description:
      '<p>The page cache has been moving from pages to folios for several development cycles, and writeback is one of the last large holdouts. A patch series posted this week converts the remaining paths and, along the way, fixes an accounting error that has made large folios look dirtier than they are.</p>',
  },
  {
    title: 'Security updates for Thursday',
    author: 'jwalsh',
    path: '/kwn/Articles/981377/',
    hoursAgo: 31,
    category: 'Security',
    description:
      '<p>Security updates have been issued by <b>three distributors</b> for an XML parser, an image library and the kernel. See the <a href="/kwn/">front page</a> for details.</p>',
  },
  {
    title: 'Shrinking wakeup latency with per-CPU run-queue hints',
    author: 'mrao',
    path: '/kwn/Articles/980955/',
    hoursAgo: 53,
    category: 'Kernel',
    description:
      '<p>A proposal on the scheduler list lets a waking task leave a hint on the CPU it last ran on, so that the scheduler can skip a search across the whole package. Early numbers show a modest gain for messaging workloads and no change elsewhere.</p>',
  },
  {
    title: 'Tidewater 0.9: a filesystem checker that explains itself',
    author: 'dokafor',
    path: '/kwn/Articles/980812/',
    hoursAgo: 78,
    category: 'Announcements',
    // Hostile on purpose: the demo shows the sanitizer dropping the handler and the javascript: link. The
    // image is linked by path, as LWN does, and resolved against the article's URL.
    description:
      '<p>Version 0.9 of the Tidewater checker prints, for every repair, the on-disk structure it found and why it changed it. <img src="/kwn/images/tidewater-0.9.png" onerror="alert(\'kwn\')" alt="Tidewater explaining a repair"> Read the <a href="javascript:alert(\'kwn\')">release notes</a> for the full list.</p>',
  },
  {
    title: '[$] Rust bindings for the block layer, one year on',
    author: 'hfischer',
    path: '/kwn/Articles/980430/',
    hoursAgo: 126,
    category: 'Kernel',
    description:
      '<p>A year after the first block-layer abstractions were merged, two drivers use them in production. This article looks at what the bindings made easier, what they made harder, and what the maintainers want next.</p>',
  },
  {
    title: 'Kernel prepatch 7.2-rc3',
    author: 'jwalsh',
    path: '/kwn/Articles/980321/',
    hoursAgo: 171,
    category: 'Kernel',
    description:
      '<p>The third prepatch for the 7.2 release is out for testing; most of the changes are driver fixes, with a couple of reverts in the networking core.</p>',
  },
];

function render(site: DemoSite): string {
  const items = POSTS.map(
    (p) => `
  <item>
    <title>${xmlEscape(p.title)}</title>
    <link>${url(site, p.path)}</link>
    <description>${xmlEscape(p.description)}</description>
    <dc:creator>${xmlEscape(p.author!)}</dc:creator>
    <category>${xmlEscape(p.category)}</category>
    <pubDate>${rssDate(site, p.hoursAgo)}</pubDate>
    <guid>${url(site, p.path)}</guid>
  </item>`,
  ).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Kernel Weekly News</title>
  <link>${url(site, '/kwn/')}</link>
  <description>Kernel Weekly News headlines: free-software development, one week at a time</description>
  <language>en-us</language>
  <lastBuildDate>${rssDate(site, POSTS[0]!.hoursAgo)}</lastBuildDate>${items}
</channel>
</rss>
`;
}

export const HEADLINES: DemoFeed = {
  name: 'Kernel Weekly News',
  kind: 'RSS 2.0 headlines (LWN-style)',
  path: '/kwn/headlines/rss',
  home: '/kwn/',
  contentType: 'application/rss+xml',
  posts: POSTS,
  images: [TIDEWATER],
  render,
};
