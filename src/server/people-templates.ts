/** Templates of `/people` and the faces (same rules as templates.ts: every `<%= %>` is escaped). */

/** People by name, each with their face, home page and sources; links to the next page. */
const PEOPLE = `<h1>People</h1>
<p class="intro">Who writes the posts of this river, and their feeds.</p>
<% if (it.people.length === 0) { %><p class="empty">No one yet.</p><% } %>
<ul class="people">
<% for (const person of it.people) { %>
<li class="person">
<% const face = it.links.face(person); if (face) { %><img class="face" src="<%= face %>" alt="" width="64" height="64" loading="lazy"><% } %>
<h2><% if (person.url) { %><a href="<%= person.url %>"><%= person.name %></a><% } else { %><%= person.name %><% } %></h2>
<ul class="person-sources">
<% for (const source of person.sources) { %><li><a href="<%= it.links.source(source.id) %>"><%= source.name %></a><% if (source.homePageUrl) { %> · <a href="<%= source.homePageUrl %>">site</a><% } %></li>
<% } %>
</ul>
</li>
<% } %>
</ul>
<nav class="pages" aria-label="Pages">
<% if (it.first) { %><a href="<%= it.first %>">First page</a><% } %>
<% if (it.next) { %><a rel="next" href="<%= it.next %>">Next page</a><% } %>
</nav>
`;

export const PEOPLE_TEMPLATES: Readonly<Record<string, string>> = { '@people': PEOPLE };

/** Styles of those parts (appended to the stylesheet). Faces are square whatever the image's shape. */
export const PEOPLE_STYLE = `
img.face { float: right; margin: 0 0 0.5rem 0.75rem; border-radius: 6px; object-fit: cover; background: var(--rule); }
ul.people { list-style: none; padding: 0; }
li.person { overflow: hidden; padding: 0.75rem 0; border-bottom: 1px solid var(--rule); }
li.person h2 { margin: 0 0 0.25rem; font-size: 1.1rem; }
ul.person-sources { margin: 0; padding-left: 1.2rem; color: var(--muted); }
`;
