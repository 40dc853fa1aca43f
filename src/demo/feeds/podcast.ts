/** A podcast's RSS 2.0 feed: audio/mpeg enclosures, itunes:duration, itunes:image and HTML show notes. */
import { podcastCover } from '../art.js';
import {
  type DemoFeed,
  type DemoImage,
  type DemoPost,
  type DemoSite,
  rssDate,
  url,
  xmlEscape,
} from '../sample-feed.js';

interface Episode extends DemoPost {
  episode: number;
  duration: string;
  bytes: number;
  notes: string;
}

const SHOW = 'Latency Numbers';
const HOSTS = 'Ada Mensah and Tom Reyes';
/** The audio lives on an https host (the page's policy plays https media only); `.example` is reserved, so
 * the player shows but has nothing to play without a real host. */
const AUDIO_HOST = 'https://media.latency-numbers.example';

const POSTS: readonly Episode[] = [
  {
    title: '48: The tail at scale, revisited',
    author: HOSTS,
    path: '/latency-numbers/48/',
    hoursAgo: 27,
    episode: 48,
    duration: '47:12',
    bytes: 45_318_204,
    notes: `<p>Why the slowest one percent of requests decides how fast a service feels, and the tricks that tame it.</p>
<ul>
<li>02:10 Fan-out and why p99 becomes p50</li>
<li>15:45 Hedged requests, and when they backfire</li>
<li>31:20 Listener question: is a timeout a bug?</li>
</ul>`,
  },
  {
    title: '47: What a CDN actually caches',
    author: HOSTS,
    path: '/latency-numbers/47/',
    hoursAgo: 101,
    episode: 47,
    duration: '52:03',
    bytes: 49_972_880,
    notes: `<p>Cache keys, <code>Vary</code>, and the surprising number of requests that never hit the cache at all.</p>
<ul>
<li>04:30 Hit ratio versus byte hit ratio</li>
<li>22:00 Tiered caches</li>
<li>40:15 Purging without tears</li>
</ul>`,
  },
  {
    title: '46: Clocks, leap seconds and other lies',
    author: HOSTS,
    path: '/latency-numbers/46/',
    hoursAgo: 181,
    episode: 46,
    duration: '44:37',
    bytes: 42_835_112,
    notes: `<p>Wall clocks go backwards, monotonic clocks stop when a laptop sleeps, and every distributed system has an opinion about time.</p>`,
  },
  {
    title: '45: Listener mail – feeds are not dead',
    author: HOSTS,
    path: '/latency-numbers/45/',
    hoursAgo: 252,
    episode: 45,
    duration: '38:50',
    bytes: 37_281_660,
    notes: `<p>Your letters about RSS readers, planet sites and the feed you have followed for fifteen years. Thanks for writing in!</p>`,
  },
];

const COVER: DemoImage = {
  path: '/latency-numbers/cover.jpg',
  type: 'image/jpeg',
  svg: podcastCover(SHOW, 'systems, slowly explained'),
};

function render(site: DemoSite): string {
  const cover = url(site, COVER.path);
  const items = POSTS.map(
    (e) => `
    <item>
      <title>${xmlEscape(e.title)}</title>
      <link>${url(site, e.path)}</link>
      <guid isPermaLink="false">latency-numbers-${e.episode}</guid>
      <pubDate>${rssDate(site, e.hoursAgo)}</pubDate>
      <itunes:author>${xmlEscape(e.author!)}</itunes:author>
      <itunes:episode>${e.episode}</itunes:episode>
      <itunes:duration>${e.duration}</itunes:duration>
      <itunes:image href="${cover}"/>
      <itunes:explicit>false</itunes:explicit>
      <description>${xmlEscape(e.notes)}</description>
      <enclosure url="${AUDIO_HOST}/episodes/lnp-${String(e.episode).padStart(3, '0')}.mp3" length="${e.bytes}" type="audio/mpeg"/>
    </item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${SHOW}</title>
    <link>${url(site, '/latency-numbers/')}</link>
    <description>A podcast about why computers are slow, and what to do about it.</description>
    <language>en</language>
    <itunes:author>${HOSTS}</itunes:author>
    <itunes:image href="${cover}"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>${items}
  </channel>
</rss>
`;
}

export const PODCAST: DemoFeed = {
  name: SHOW,
  kind: 'podcast (RSS 2.0, enclosures, itunes:)',
  path: '/latency-numbers/episodes.rss',
  home: '/latency-numbers/',
  contentType: 'application/rss+xml; charset=utf-8',
  posts: POSTS,
  images: [COVER],
  render,
};
