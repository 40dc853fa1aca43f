/** A WordPress-style feed: RSS 2.0 with content:encoded in CDATA, an excerpt in <description>, and the
 * "The post … appeared first on …" footer WordPress SEO plugins append to both. */
import { barChart } from '../art.js';
import {
  cdata,
  type DemoFeed,
  type DemoImage,
  type DemoPost,
  type DemoSite,
  rssDate,
  url,
  xmlEscape,
} from '../sample-feed.js';

interface BlogPost extends DemoPost {
  postId: number;
  categories: string[];
  excerpt: string;
  /** The body, without the footer (added when rendering, since it names the post's own URL). */
  html: string;
}

const SITE_NAME = 'Rackside';

/** Under wp-content/uploads, as WordPress keeps uploads; posts link it by path, resolved against the post's URL. */
const IDLE_POWER: DemoImage = {
  path: '/rackside/wp-content/uploads/2024/05/idle-power.png',
  type: 'image/png',
  svg: barChart('Idle power draw, 24-hour average', 'W', [
    ['Mini PC, 4 cores', 7],
    ['Mini PC, 8 cores', 11],
    ['1U, 1 socket', 38],
    ['Tower, 1 socket', 46],
    ['2U, 2 sockets', 96],
    ['4-node 2U', 212],
  ]),
};

const POSTS: readonly BlogPost[] = [
  {
    title: 'Reviewing a 2U four-node chassis with shared power',
    author: 'Dana Whitfield',
    path: '/rackside/2u-four-node-chassis-review/',
    hoursAgo: 9,
    postId: 8841,
    categories: ['Reviews', 'Servers'],
    excerpt:
      'Four dual-socket nodes, two power supplies and one very loud fan wall: we spent three weeks with a 2U four-node chassis to see where the density pays off.',
    html: `<p>Four dual-socket nodes, two power supplies and one very loud fan wall: we spent three weeks with a 2U four-node chassis to see where the density pays off, and where it does not.</p>
<h2>The hardware</h2>
<table>
<thead><tr><th>Part</th><th>Per node</th><th>Chassis total</th></tr></thead>
<tbody>
<tr><td>CPU sockets</td><td>2</td><td>8</td></tr>
<tr><td>DIMM slots</td><td>16</td><td>64</td></tr>
<tr><td>U.2 bays</td><td>6</td><td>24</td></tr>
<tr><td>Power supplies</td><td>shared</td><td>2 × 2200 W</td></tr>
</tbody>
</table>
<p>The nodes slide out from the back without tools; the drive bays stay at the front, wired to each node through a midplane. That keeps storage serviceable while a node is out, which matters more than it sounds when the chassis lives in a colocation cage an hour away.</p>
<h2>Final words</h2>
<p>If you need many small servers in little space and can give them a cold aisle, this chassis is easy to like. If the rack sits in an office, look elsewhere: at full load it is not quiet.</p>`,
  },
  {
    title: 'Quiet 10GbE: a fanless switch for the home office',
    author: 'Luis Ortega',
    path: '/rackside/fanless-10gbe-switch/',
    hoursAgo: 46,
    postId: 8835,
    categories: ['Networking', 'Homelab'],
    excerpt:
      'Eight 10GbE ports, no fan, and a heatsink that doubles as the lid. Does a passive switch survive a closet in summer?',
    html: `<p>Eight 10GbE ports, no fan, and a heatsink that doubles as the lid. The question with every passive switch is the same: does it survive a closet in summer?</p>
<ul>
<li>8 × SFP+ ports, 2 of them shared with RJ45</li>
<li>Web management with VLANs and link aggregation</li>
<li>Idle power around 11 W, 19 W with every port lit</li>
</ul>
<p>We left it in a closed cupboard for a week with a space heater outside the door. The case reached 58 °C and the switch never dropped a link.</p>`,
  },
  {
    title: 'How we test NVMe drives, updated',
    author: 'Dana Whitfield',
    path: '/rackside/how-we-test-nvme-drives/',
    hoursAgo: 99,
    postId: 8819,
    categories: ['Storage', 'Methodology'],
    excerpt:
      'Our drive reviews now run every workload twice: once fresh out of the box, and once after the drive has been filled and left to settle.',
    // Hostile on purpose: a social-media embed's <script> tag, which the sanitizer must drop.
    html: `<p>Our drive reviews now run every workload twice: once fresh out of the box, and once after the drive has been filled twice over and left to settle for an hour. Steady state is where most drives live, so that is the number we lead with.</p>
<ol>
<li>Precondition: two full sequential writes.</li>
<li>Settle: one hour idle, drive temperature logged.</li>
<li>Measure: 4K random read/write at queue depths 1, 32 and 128.</li>
</ol>
<blockquote><p>Readers asked us to publish the job files, so they are now linked from every review.</p></blockquote>
<script async src="https://platform.social.example/widgets.js" charset="utf-8"></script>`,
  },
  {
    title: 'Deal watch: refurbished 24-bay storage servers',
    author: 'Sam Achterberg',
    path: '/rackside/deal-watch-24-bay-storage/',
    hoursAgo: 143,
    postId: 8802,
    categories: ['Deals', 'Storage'],
    excerpt:
      'Off-lease 24-bay servers are turning up at prices below a bare chassis. What to check before buying one.',
    html: `<p>Off-lease 24-bay storage servers are turning up at prices below what a new empty chassis costs. Before you buy one, check three things:</p>
<ul>
<li>Which backplane it has: <em>expander</em> backplanes need one HBA, direct-attach ones need three.</li>
<li>Whether drive caddies are included. They often are not, and they are not cheap.</li>
<li>The power supplies' efficiency rating, because this box will be on all year.</li>
</ul>
<p>We walked through one on video last month:</p>
<iframe width="560" height="315" src="https://www.youtube.com/embed/R4tB8mNq2Ws" title="YouTube video player" frameborder="0" allowfullscreen></iframe>`,
  },
  {
    title: 'Idle power of homelab servers, measured',
    author: 'Luis Ortega',
    path: '/rackside/idle-power-measured/',
    hoursAgo: 203,
    postId: 8790,
    categories: ['Homelab', 'Power'],
    excerpt: 'We put six popular homelab machines on a power meter and left them idle for a day.',
    html: `<p>We put six popular homelab machines on a power meter and left them idle for a day, with their operating systems' default power settings. The spread is wider than we expected.</p>
<figure><img src="${IDLE_POWER.path}" alt="Bar chart of idle power draw for six machines, from 7 W to 212 W" width="560" height="264"><figcaption>Idle power, measured at the wall.</figcaption></figure>
<p>The mini PCs win, as expected. The surprise is the single-socket tower, which idles within a few watts of the 1U server despite twice the drive bays.</p>`,
  },
];

function footer(site: DemoSite, p: BlogPost): string {
  return `The post <a href="${url(site, p.path)}">${p.title}</a> appeared first on <a href="${url(site, '/rackside/')}">${SITE_NAME}</a>.`;
}

function render(site: DemoSite): string {
  const items = POSTS.map(
    (p) => `
	<item>
		<title>${xmlEscape(p.title)}</title>
		<link>${url(site, p.path)}</link>
		<dc:creator>${cdata(p.author!)}</dc:creator>
		<pubDate>${rssDate(site, p.hoursAgo)}</pubDate>
${p.categories.map((c) => `		<category>${cdata(c)}</category>`).join('\n')}
		<guid isPermaLink="false">${url(site, `/rackside/?p=${p.postId}`)}</guid>
		<description>${cdata(`<p>${p.excerpt} […]</p>\n<p>${footer(site, p)}</p>`)}</description>
		<content:encoded>${cdata(`${p.html}\n<p>${footer(site, p)}</p>`)}</content:encoded>
		<wfw:commentRss>${url(site, `${p.path}feed/`)}</wfw:commentRss>
		<slash:comments>${p.postId % 7}</slash:comments>
	</item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>${SITE_NAME}</title>
	<atom:link href="${url(site, '/rackside/feed/')}" rel="self" type="application/rss+xml" />
	<link>${url(site, '/rackside/')}</link>
	<description>Servers, storage and networking, from the homelab to the data center</description>
	<lastBuildDate>${rssDate(site, POSTS[0]!.hoursAgo)}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.5.3</generator>${items}
	</channel>
</rss>
`;
}

export const WORDPRESS: DemoFeed = {
  name: SITE_NAME,
  kind: 'RSS 2.0 with content:encoded (WordPress-style)',
  path: '/rackside/feed/',
  home: '/rackside/',
  contentType: 'application/rss+xml; charset=UTF-8',
  posts: POSTS,
  images: [IDLE_POWER],
  render,
};
