/** Templates of the planet pages' parts (same rules as templates.ts: every `<%= %>` is escaped). */

/** A tag's, category's or source's posts: where they come from, its categories, and its feeds. */
const SCOPE = `<% if (it.scope.sources) { %><p class="scope-sources">From <% it.scope.sources.forEach((source, i) => { %><%= i > 0 ? ', ' : '' %><a href="<%= it.links.source(source.id) %>"><%= source.name %></a><% }) %></p>
<% } %>
<% if (it.scope.categories) { %><p class="scope-categories">Categories: <% it.scope.categories.forEach((category, i) => { %><%= i > 0 ? ', ' : '' %><a href="<%= it.links.category(category.key) %>"><%= category.name %></a><% }) %></p>
<% } %>
<p class="scope-feeds">Follow these posts: <a href="<%= it.scope.feeds.atom %>">Atom</a> · <a href="<%= it.scope.feeds.rss %>">RSS</a> · <a href="<%= it.scope.feeds.jsonFeed %>">JSON Feed</a></p>
`;

/** An archive month's neighbours that have posts. */
const MONTHS = `<nav class="months" aria-label="Months">
<% if (it.months.previous) { %><a rel="prev" href="<%= it.months.previous.href %>">← <%= it.months.previous.label %></a><% } %>
<% if (it.months.next) { %><a rel="next" href="<%= it.months.next.href %>"><%= it.months.next.label %> →</a><% } %>
</nav>
`;

/** A post's tags and the other sources that carried it, under its attribution. */
const POST_LINKS = `<% if (it.post.tags.length > 0) { %><p class="tags">Tags: <% it.post.tags.forEach((tag, i) => { %><%= i > 0 ? ', ' : '' %><a rel="tag" href="<%= it.links.tag(tag.key) %>"><%= tag.name %></a><% }) %></p>
<% } %>
<% if (it.post.alsoIn.length > 0) { %><p class="also-in">Also in: <% it.post.alsoIn.forEach((source, i) => { %><%= i > 0 ? ', ' : '' %><a href="<%= it.links.source(source.id) %>"><%= source.name %></a><% }) %></p>
<% } %>
`;

export const PLANET_TEMPLATES: Readonly<Record<string, string>> = {
  '@scope': SCOPE,
  '@months': MONTHS,
  '@postlinks': POST_LINKS,
};

/** Styles of those parts (appended to the stylesheet). */
export const PLANET_STYLE = `
.tags, .also-in { margin: 0.15rem 0; font-size: 0.9rem; color: var(--muted); }
.scope-sources, .scope-categories, .scope-feeds { color: var(--muted); }
nav.months { display: flex; justify-content: space-between; margin: 2rem 0; }
nav.months a[rel="next"] { margin-left: auto; }
`;
