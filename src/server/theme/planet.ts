/**
 * The built-in "planet" theme (`site.theme: planet`): the classic planets' look (Planet Debian, Planet
 * GNOME) — each post beside its author's face in a left column, compact type, a wider page. It overrides
 * two templates and adds to the default stylesheet; everything else is the default theme's.
 */

/** A post with the face of its person (else its source) in a column on its left. */
const POST = `<article class="post with-face" id="post-<%= it.post.id %>">
<div class="face-column"><%~ include('@face', { face: it.links.face(it.post.source), name: it.post.source.person?.name ?? it.post.source.name, href: it.post.source.person?.url ?? it.links.source(it.post.source.id) }) %></div>
<div class="post-column">
<%~ include('@postBody', {}) %>
</div>
</article>
`;

/** A source's card on /sources, its face on the left. */
const SOURCE_CARD = `<article class="source with-face" id="source-<%= it.health.id %>">
<div class="face-column"><%~ include('@face', { face: it.links.face(it.health), name: it.health.name, href: it.links.source(it.health.id) }) %></div>
<div class="post-column">
<h2><a href="<%= it.links.source(it.health.id) %>"><%= it.health.name %></a></h2>
<p class="meta"><a href="<%= it.health.feedUrl %>">feed</a><% if (it.health.homePageUrl) { %> · <a href="<%= it.health.homePageUrl %>">site</a><% } %></p>
<%~ include('@health', { health: it.health, compact: true }) %>
</div>
</article>
`;

export const PLANET_THEME_TEMPLATES: Readonly<Record<string, string>> = {
  '@post': POST,
  '@sourceCard': SOURCE_CARD,
};

/** Appended to the default stylesheet. */
export const PLANET_THEME_CSS = `
/* planet theme: faces in a left column, compact type */
body { max-width: 62rem; font-size: 0.95rem; line-height: 1.45; }
h1 { font-size: 1.5rem; }
.day > h2 { margin: 1.25rem 0 0.25rem; padding: 0.25rem 0; font-size: 0.9rem; }
.post { padding: 0.6rem 0 0.9rem; }
.post-title { font-size: 1.15rem; }
.with-face { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: 0 1rem; }
.face-column { text-align: center; font-size: 0.8rem; overflow-wrap: anywhere; }
.face {
  display: flex; float: none; align-items: center; justify-content: center;
  width: 64px; height: 64px; margin: 0.25rem auto; border-radius: 6px; object-fit: cover;
}
.face-initial { background: var(--rule); color: var(--muted); font-size: 1.8rem; font-weight: 700; }
.face-name { color: var(--muted); }
@media (max-width: 40rem) {
  .with-face { grid-template-columns: 3rem minmax(0, 1fr); gap: 0 0.6rem; }
  .face { width: 40px; height: 40px; font-size: 1.2rem; }
  .face-name { display: none; }
}
`;
