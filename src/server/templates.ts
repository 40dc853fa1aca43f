/**
 * The built-in page templates (Eta), each named as the file a theme overrides it with (`@post` is
 * `post.eta`: theme/names.ts). Every `<%= %>` interpolation is HTML-escaped by Eta. Raw output (`<%~ %>`) is
 * used only for our own rendered templates (`include`, the layout's `it.body`) and at ONE place for feed
 * content: `it.raw.postHtml(post)` in `@postBody`, the body the content stage sanitized at ingest.
 * theme/check.ts holds these and every theme's templates to this at start. They live in this module rather
 * than in `.eta` files so the build needs no copy step; `tributary theme export` writes them out as files.
 */
import { PEOPLE_TEMPLATES } from './people-templates.js';
import { PLANET_TEMPLATES } from './planet-templates.js';

const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title><%= it.pageTitle %></title>
<% if (it.site.description) { %><meta name="description" content="<%= it.site.description %>">
<% } %>
<link rel="stylesheet" href="<%= it.links.style %>">
<link rel="icon" href="<%= it.links.favicon %>" type="image/x-icon">
<link rel="alternate" type="application/atom+xml" title="<%= it.site.title %> (Atom)" href="<%= it.links.atom %>">
<link rel="alternate" type="application/rss+xml" title="<%= it.site.title %> (RSS)" href="<%= it.links.rss %>">
<link rel="alternate" type="application/feed+json" title="<%= it.site.title %> (JSON Feed)" href="<%= it.links.jsonFeed %>">
<% for (const feed of it.alternates ?? []) { %><link rel="alternate" type="<%= feed.type %>" title="<%= feed.title %>" href="<%= feed.href %>">
<% } %>
</head>
<body>
<header class="site">
<p class="site-title"><a href="<%= it.links.home %>"><%= it.site.title %></a></p>
<nav aria-label="Site">
<ul>
<li><a href="<%= it.links.home %>">River</a></li>
<li><a href="<%= it.links.sources %>">Sources</a></li>
<li><a href="<%= it.links.people %>">People</a></li>
<li><a href="<%= it.links.atom %>">Feeds</a></li>
</ul>
</nav>
<% if (it.links.search) { %>
<form class="search" role="search" action="<%= it.links.search %>" method="get">
<label for="q">Search posts</label>
<input type="search" id="q" name="q" value="<%= it.query ?? '' %>" placeholder="Search posts">
<button type="submit">Search</button>
</form>
<% } %>
</header>
<main>
<%~ it.body %>
</main>
<footer class="site">
<p>Subscribe: <a href="<%= it.links.atom %>">Atom</a> · <a href="<%= it.links.rss %>">RSS</a> · <a href="<%= it.links.jsonFeed %>">JSON Feed</a> · <a href="<%= it.links.digest %>">Text digest</a> · <a href="<%= it.links.opml %>">Blogroll (OPML)</a></p>
<p>Posts belong to their authors; each links to its original. Aggregated by Tributary.</p>
</footer>
</body>
</html>
`;

/** Text cut into parts (store/search-snippet.ts): every part escaped, the matches in <mark>. */
const MARKED = `<% for (const part of it.parts) { %><% if (part.match) { %><mark><%= part.text %></mark><% } else { %><%= part.text %><% } %><% } %>`;

/** A post's title: \`it.titleParts\` (matches marked) when given, else the plain title. */
const TITLE = `<% if (it.titleParts && it.titleParts.length > 0) { %><%~ include('@marked', { parts: it.titleParts }) %><% } else { %><%= it.post.title ?? 'Untitled post' %><% } %>`;

/** A post's title, attribution and where it came from. */
const POST_HEADER = `<header>
<h<%= it.level %> class="post-title"><% if (it.post.url) { %><a href="<%= it.post.url %>"><%~ include('@title', {}) %></a><% } else { %><%~ include('@title', {}) %><% } %></h<%= it.level %>>
<p class="attribution">Post Syndicated from <%= it.post.author %><% if (it.post.url) { %> original <a href="<%= it.post.url %>"><%= it.post.url %></a><% } %></p>
<p class="meta"><a href="<%= it.links.source(it.post.source.id) %>"><%= it.post.source.name %></a> · <a href="<%= it.links.entry(it.post.id) %>"><time datetime="<%= it.post.published %>"><%= it.post.publishedLabel %></time></a></p>
<%~ include('@postlinks', {}) %>
</header>
`;

/** One post. \`it.level\`: its heading level; \`it.embed\`: YouTube as a player (permalink) or a thumbnail. */
const POST = `<article class="post" id="post-<%= it.post.id %>">
<% const face = it.links.face(it.post.source); if (face) { %><img class="face" src="<%= face %>" alt="" width="48" height="48" loading="lazy"><% } %>
<%~ include('@postBody', {}) %>
</article>
`;

/** A post's header, body and media: what every theme's \`@post\` wraps. */
const POST_BODY = `<%~ include('@postHeader', {}) %>
<% if (it.post.youtube && it.embed) { %>
<div class="video"><iframe src="<%= it.post.youtube.embedUrl %>" title="<%= it.post.title ?? 'YouTube video' %>" loading="lazy" allowfullscreen></iframe></div>
<% } else if (it.post.youtube) { %>
<figure class="video-thumb"><a href="<%= it.links.entry(it.post.id) %>"><img src="<%= it.post.youtube.thumbnailUrl %>" alt="Play video: <%= it.post.title ?? 'YouTube video' %>" loading="lazy" width="480" height="360"></a><figcaption><a href="<%= it.links.entry(it.post.id) %>">▶ Play video</a> · <a href="<%= it.post.youtube.watchUrl %>">on YouTube</a></figcaption></figure>
<% } %>
<% if (it.post.contentHtml) { %>
<div class="content">
<%~ it.raw.postHtml(it.post) %>
</div>
<% } %>
<% for (const m of it.post.media) { %>
<% if (m.kind === 'audio') { %>
<figure class="media"><audio controls preload="none" src="<%= m.url %>"></audio><figcaption><a href="<%= m.url %>"><%= m.label %></a></figcaption></figure>
<% } else if (m.kind === 'video') { %>
<figure class="media"><video controls preload="none" src="<%= m.url %>"></video><figcaption><a href="<%= m.url %>"><%= m.label %></a></figcaption></figure>
<% } else { %>
<p class="media"><a href="<%= m.url %>"><%= m.label %></a><% if (m.mimeType) { %> (<%= m.mimeType %>)<% } %></p>
<% } %>
<% } %>
`;

const RIVER = `<h1><%= it.heading %></h1>
<% if (it.intro) { %><p class="intro"><%= it.intro %></p><% } %>
<% if (it.scope) { %><%~ include('@scope', {}) %><% } %>
<% if (it.river.days.length === 0) { %><p class="empty">No posts yet.</p><% } %>
<% for (const day of it.river.days) { %>
<section class="day" aria-labelledby="day-<%= day.key %>">
<h2 id="day-<%= day.key %>"><time datetime="<%= day.key %>"><%= day.label %></time></h2>
<% for (const post of day.posts) { %>
<%~ include('@post', { post, level: 3, embed: false }) %>
<% } %>
</section>
<% } %>
<nav class="pages" aria-label="Pages">
<% if (it.newest) { %><a href="<%= it.newest %>">Newest posts</a><% } %>
<% if (it.older) { %><a rel="next" href="<%= it.older %>">Older posts</a><% } %>
<% if (it.archive) { %><a href="<%= it.archive.href %>">Archive: <%= it.archive.label %></a><% } %>
</nav>
<% if (it.months) { %><%~ include('@months', {}) %><% } %>
`;

/** A source's health. \`it.compact\`: the chart as a few paths with one label (the many cards of /sources);
 * else a shape and a tooltip per day (a source's own page). */
const HEALTH = `<dl class="health">
<div><dt>Status</dt><dd class="status-<%= it.health.status %>"><%= it.health.status %></dd></div>
<div><dt>Last success</dt><dd><%= it.health.lastSuccess ?? 'never' %></dd></div>
<div><dt>Next attempt</dt><dd><%= it.health.nextAttempt ?? (['gone', 'retired'].includes(it.health.status) ? 'never' : 'due now') %></dd></div>
<div><dt>HTTP status</dt><dd><%= it.health.httpStatus ?? '–' %></dd></div>
<div><dt>Fetch time</dt><dd><% if (it.health.medianLatencyMs !== undefined) { %><%= it.health.medianLatencyMs %> ms median, last <%= it.health.lastLatencyMs %> ms<% } else { %>–<% } %></dd></div>
<div><dt>Posts per week</dt><dd><%= it.health.postsPerWeek %></dd></div>
<% if (it.health.notice) { %><div class="wide"><dt>Note</dt><dd class="notice"><%= it.health.notice %></dd></div><% } %>
<% if (it.health.lastError) { %><div class="wide"><dt>Last error</dt><dd><%= it.health.lastError %></dd></div><% } %>
</dl>
<figure class="chart">
<svg viewBox="0 0 <%= it.health.chart.width %> <%= it.health.chart.height %>" width="<%= it.health.chart.width %>" height="<%= it.health.chart.height %>" role="img" aria-label="<%= it.health.chart.summary %>">
<% if (it.compact) { %>
<path class="bar" d="<%= it.health.chart.barsPath %>"/><% for (const s of it.health.chart.strips) { %><path class="strip outcome-<%= s.outcome %>" d="<%= s.path %>"/><% } %>
<% } else { %>
<% for (const d of it.health.chart.days) { %>
<g><title><%= d.label %></title><rect class="bar" x="<%= d.bar.x %>" y="<%= d.bar.y %>" width="<%= d.bar.width %>" height="<%= d.bar.height %>"/><rect class="strip outcome-<%= d.outcome %>" x="<%= d.strip.x %>" y="<%= d.strip.y %>" width="<%= d.strip.width %>" height="<%= d.strip.height %>"/></g>
<% } %>
<% } %>
</svg>
<% if (!it.compact) { %><figcaption>New posts per day (bars) and fetch outcome (strip: green ok, amber throttled, red failed, grey none), last 30 days</figcaption><% } %>
</figure>
`;

/** The sources page: counts by status, a filter (live site only), one page of cards, failing and slowest
 * first, and links to the next page. */
const SOURCES = `<h1>Sources</h1>
<p class="intro"><%= it.summary.following %> feeds flow into this river.</p>
<ul class="counts">
<% for (const c of it.summary.counts) { %><li class="status-<%= c.status %>"><% if (c.href) { %><a href="<%= c.href %>"><%= c.count %> <%= c.status %></a><% } else { %><%= c.count %> <%= c.status %><% } %></li><% } %>
</ul>
<% if (it.links.sourcesFilter) { %>
<form class="filter" role="search" action="<%= it.links.sourcesFilter %>" method="get">
<label for="sources-q">Name or URL</label>
<input type="search" id="sources-q" name="q" value="<%= it.listing.search ?? '' %>">
<label for="sources-status">Status</label>
<select id="sources-status" name="status"><option value="">any</option><% for (const status of it.statuses) { %><option<%= status === it.listing.status ? ' selected' : '' %>><%= status %></option><% } %></select>
<button type="submit">Show</button>
</form>
<% } %>
<% if (it.cards.length === 0) { %><p class="empty">No sources match.</p><% } %>
<% for (const health of it.cards) { %>
<%~ include('@sourceCard', { health }) %>
<% } %>
<nav class="pages" aria-label="Pages">
<% if (it.first) { %><a href="<%= it.first %>">First page</a><% } %>
<% if (it.next) { %><a rel="next" href="<%= it.next %>">Next page</a><% } %>
</nav>
`;

/** One source's card on /sources. */
const SOURCE_CARD = `<article class="source" id="source-<%= it.health.id %>">
<% const face = it.links.face(it.health); if (face) { %><img class="face" src="<%= face %>" alt="" width="48" height="48" loading="lazy"><% } %>
<h2><a href="<%= it.links.source(it.health.id) %>"><%= it.health.name %></a></h2>
<p class="meta"><a href="<%= it.health.feedUrl %>">feed</a><% if (it.health.homePageUrl) { %> · <a href="<%= it.health.homePageUrl %>">site</a><% } %></p>
<%~ include('@health', { health: it.health, compact: true }) %>
</article>
`;

/** A person's or source's face (\`it.face\`, an image URL), else the initial of \`it.name\`, and the name
 * linking to \`it.href\`. The planet theme shows one beside each post and on each source card. */
const FACE = `<% if (it.face) { %><img class="face" src="<%= it.face %>" alt="" width="64" height="64" loading="lazy"><% } else { %><span class="face face-initial" aria-hidden="true"><%= (Array.from(it.name.trim())[0] ?? '?').toUpperCase() %></span><% } %>
<a class="face-name" href="<%= it.href %>"><%= it.name %></a>
`;

const SOURCE = `<article class="source">
<h1><%= it.health.name %></h1>
<p class="meta"><a href="<%= it.health.feedUrl %>">feed</a><% if (it.health.homePageUrl) { %> · <a href="<%= it.health.homePageUrl %>">site</a><% } %></p>
<%~ include('@health', { health: it.health, compact: false }) %>
</article>
<%~ include('@river', { heading: 'Posts from ' + it.health.name, intro: undefined }) %>
`;

const ENTRY = `<%~ include('@post', { post: it.post, level: 1, embed: true }) %>
<p class="back"><a href="<%= it.links.home %>">Back to the river</a></p>
`;

/** One search result: the post's header and an excerpt, the matches marked in both. */
const HIT = `<article class="post hit" id="post-<%= it.hit.post.id %>">
<%~ include('@postHeader', { post: it.hit.post, level: 2, titleParts: it.hit.title }) %>
<% if (it.hit.snippet.length > 0) { %><p class="snippet"><%~ include('@marked', { parts: it.hit.snippet }) %></p>
<% } %>
</article>
`;

const SEARCH = `<h1>Search</h1>
<% if (it.problem) { %>
<p class="notice" role="alert"><%= it.problem %></p>
<% } else if (it.query) { %>
<p class="intro"><%= it.summary %></p>
<% for (const hit of it.hits) { %>
<%~ include('@hit', { hit }) %>
<% } %>
<nav class="pages" aria-label="Pages">
<% if (it.newer) { %><a rel="prev" href="<%= it.newer %>">Better matches</a><% } %>
<% if (it.older) { %><a rel="next" href="<%= it.older %>">More matches</a><% } %>
</nav>
<% } %>
<% if (!it.query || it.problem) { %>
<section class="help" aria-labelledby="search-help">
<h2 id="search-help">How to search</h2>
<ul>
<li><kbd>memory safety</kbd>: posts with both words</li>
<li><kbd>"memory safety"</kbd>: the words next to each other</li>
<li><kbd>rust OR go</kbd>: either word</li>
<li><kbd>kernel -rust</kbd>: leave out posts with a word</li>
<li><kbd>kern*</kbd>: words that begin with kern</li>
<li><kbd>source:lwn</kbd>, <kbd>tag:security</kbd>: one source's posts (by name or number), posts with a tag</li>
</ul>
</section>
<% } %>
`;

const MESSAGE = `<h1><%= it.heading %></h1>
<p><%= it.message %></p>
<p><a href="<%= it.links.home %>">Go to the river</a></p>
`;

export const TEMPLATES: Readonly<Record<string, string>> = {
  '@layout': LAYOUT,
  '@marked': MARKED,
  '@title': TITLE,
  '@postHeader': POST_HEADER,
  '@post': POST,
  '@postBody': POST_BODY,
  '@river': RIVER,
  '@health': HEALTH,
  '@sources': SOURCES,
  '@sourceCard': SOURCE_CARD,
  '@face': FACE,
  '@source': SOURCE,
  '@entry': ENTRY,
  '@hit': HIT,
  '@search': SEARCH,
  '@message': MESSAGE,
  ...PLANET_TEMPLATES,
  ...PEOPLE_TEMPLATES,
};

/** The templates the site renders as pages (inside `@layout`). */
export type TemplateName = 'river' | 'sources' | 'source' | 'entry' | 'search' | 'message' | 'people';
