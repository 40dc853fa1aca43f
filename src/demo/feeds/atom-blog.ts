/** An engineering blog's Atom 1.0 feed: per-entry authors, HTML and XHTML content with tables and lists. */
import { barChart } from '../art.js';
import {
  atomDate,
  type DemoFeed,
  type DemoImage,
  type DemoPost,
  type DemoSite,
  url,
  xmlEscape,
} from '../sample-feed.js';

interface Entry extends DemoPost {
  /** Authors after the first (`author`, the one attribution names). */
  coAuthors?: string[];
  summary: string;
  /** `html` content is escaped into the element; `xhtml` is inline markup inside a div. */
  content: { type: 'html' | 'xhtml'; body: string };
}

const RENEWALS: DemoImage = {
  path: '/packet-path/images/renewal-margin.png',
  type: 'image/png',
  svg: barChart('Days of validity left at renewal', 'days', [
    ['90-day certificate', 30],
    ['30-day certificate', 10],
    ['7-day certificate', 2.3],
  ]),
};

const POSTS: readonly Entry[] = [
  {
    title: 'Measuring DNS resolver latency from forty vantage points',
    author: 'Priya Natarajan',
    path: '/packet-path/dns-resolver-latency/',
    hoursAgo: 14,
    summary:
      'We queried four public resolvers from forty cities for a month. The median hardly matters; the tail does.',
    content: {
      type: 'html',
      body: `<p>We queried four public resolvers from forty cities every minute for a month. The medians are close enough not to matter; the tails are not.</p>
<table>
<caption>Resolution time, all vantage points, cache-missing names</caption>
<thead><tr><th>Resolver</th><th>p50</th><th>p99</th><th>Timeouts</th></tr></thead>
<tbody>
<tr><td>Resolver A</td><td>11 ms</td><td>142 ms</td><td>0.02 %</td></tr>
<tr><td>Resolver B</td><td>13 ms</td><td>96 ms</td><td>0.01 %</td></tr>
<tr><td>Resolver C</td><td>12 ms</td><td>388 ms</td><td>0.11 %</td></tr>
<tr><td>Resolver D</td><td>17 ms</td><td>120 ms</td><td>0.03 %</td></tr>
</tbody>
</table>
<p>What we took away:</p>
<ul>
<li>Anycast hides distance, not congestion: the worst p99s came from well-connected cities at peak hours.</li>
<li>Timeouts cluster; a client that retries on a <em>different</em> resolver recovers far faster.</li>
<li>Negative answers are cached for less time than most people assume.</li>
</ul>`,
    },
  },
  {
    title: 'Why our load balancer stopped trusting the health check',
    author: 'Marek Nowak',
    path: '/packet-path/distrusting-health-checks/',
    hoursAgo: 65,
    summary: 'A green health check told us a backend was fine while it failed one request in five.',
    content: {
      type: 'xhtml',
      body: `<p>A health check asks one question, on one path, every few seconds. Real traffic asks thousands. When the two disagree, we now believe the traffic.</p>
<p>The balancer keeps, per backend, an exponentially weighted error rate over live requests:</p>
<pre><code>score = 0.9 * score + 0.1 * (failed ? 1 : 0)
if score &gt; 0.2: drain(backend)</code></pre>
<ol>
<li>A backend whose score crosses the threshold is drained, health check or not.</li>
<li>It is probed with a trickle of real requests before it takes its full share again.</li>
<li>The health check still decides whether a backend is <strong>up</strong>; it no longer decides whether it is <strong>good</strong>.</li>
</ol>`,
    },
  },
  {
    title: 'A field guide to TLS certificate rotation',
    author: 'Priya Natarajan',
    coAuthors: ['Jon Alvarez'],
    path: '/packet-path/certificate-rotation/',
    hoursAgo: 111,
    summary: 'Short-lived certificates are only safe if renewal is boring. Here is how we made it boring.',
    // Hostile on purpose: an inline event handler and a javascript: URL, both for the sanitizer to drop.
    content: {
      type: 'html',
      body: `<p>Short-lived certificates are only safe if renewal is boring. Ours renew at two thirds of their lifetime, and a renewal that fails pages nobody for the first day.</p>
<img src="/packet-path/images/renewal-margin.png" onerror="alert('packet-path')" alt="Days of validity left at renewal, by certificate lifetime">
<ul>
<li>Renewal
  <ul><li>at 2/3 of the lifetime</li><li>retried hourly with jitter</li></ul>
</li>
<li>Alerting
  <ul><li>a ticket after 24 hours of failures</li><li>a page only when 10 % of the lifetime is left</li></ul>
</li>
</ul>
<p onclick="alert('packet-path')">The <a href="javascript:alert('packet-path')">runbook</a> has the rest.</p>`,
    },
  },
  {
    title: 'Postmortem: twelve minutes of elevated 502s',
    author: 'Jon Alvarez',
    path: '/packet-path/postmortem-elevated-502s/',
    hoursAgo: 216,
    summary: 'A configuration push shortened an idle timeout on one side of a connection and not the other.',
    content: {
      type: 'html',
      body: `<p>For twelve minutes, about 3 % of requests in one region got a 502. A configuration push shortened the idle timeout on our proxies below the one on the origin servers, so the proxies reused connections the origins had already closed.</p>
<table>
<thead><tr><th>Time (UTC)</th><th>Event</th></tr></thead>
<tbody>
<tr><td>14:02</td><td>Configuration push begins</td></tr>
<tr><td>14:04</td><td>502 rate rises to 3 %</td></tr>
<tr><td>14:09</td><td>Push identified as the cause</td></tr>
<tr><td>14:14</td><td>Rollback complete, errors back to baseline</td></tr>
</tbody>
</table>
<p>The fix: proxies now keep their idle timeout below the origin's, checked at deploy time.</p>`,
    },
  },
];

function content(c: Entry['content']): string {
  return c.type === 'html'
    ? `<content type="html">${xmlEscape(c.body)}</content>`
    : `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${c.body}</div></content>`;
}

function render(site: DemoSite): string {
  const entries = POSTS.map(
    (p) => `
  <entry>
    <title>${xmlEscape(p.title)}</title>
    <link rel="alternate" type="text/html" href="${url(site, p.path)}"/>
    <id>${url(site, p.path)}</id>
    <published>${atomDate(site, p.hoursAgo)}</published>
    <updated>${atomDate(site, p.hoursAgo)}</updated>
${[p.author!, ...(p.coAuthors ?? [])].map((name) => `    <author><name>${xmlEscape(name)}</name></author>`).join('\n')}
    <summary>${xmlEscape(p.summary)}</summary>
    ${content(p.content)}
  </entry>`,
  ).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>The Packet Path</title>
  <subtitle>Notes from the people who run the network</subtitle>
  <link rel="alternate" type="text/html" href="${url(site, '/packet-path/')}"/>
  <link rel="self" type="application/atom+xml" href="${url(site, '/packet-path/feed.atom')}"/>
  <id>${url(site, '/packet-path/')}</id>
  <updated>${atomDate(site, POSTS[0]!.hoursAgo)}</updated>
  <generator>Hugo</generator>${entries}
</feed>
`;
}

export const ATOM_BLOG: DemoFeed = {
  name: 'The Packet Path',
  kind: 'Atom 1.0 blog, html and xhtml content',
  path: '/packet-path/feed.atom',
  home: '/packet-path/',
  contentType: 'application/atom+xml; charset=utf-8',
  posts: POSTS,
  images: [RENEWALS],
  render,
};
