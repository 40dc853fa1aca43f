/**
 * What each template receives (`it.…`): the README that `tributary theme export` writes beside the
 * templates. Kept beside them as data, and a test holds it to them: every `it.name` a built-in template
 * reads is documented for that template.
 */

/** A variable: its type and an example value. */
type Variable = [name: string, type: string, example: string];

/** Every page template and the layout receive these (includes pass them on). */
export const COMMON: readonly Variable[] = [
  [
    'site',
    '{ title: string; url?: string; description?: string }',
    '{ title: "Planet Example", url: "https://planet.example.org/" }',
  ],
  ['pageTitle', 'string', '"Sources — Planet Example"'],
  [
    'links',
    'Links: home, sources, atom, rss, jsonFeed, opml, digest, style, favicon, search? (absent in the static export), sourcesFilter?; functions source(id), entry(id), tag(key), category(key), archive(month), theme(file), face(view) (of a post’s source, a card, a person: the theme file its face: names, else its image URL)',
    'it.links.source(3) → "/sources/3" (served) or "../sources/3.html" (exported); it.links.theme("logo.png") → "/theme/logo.Ab3dE9xQ1z.png"',
  ],
  [
    'raw.postHtml',
    '(post: PostView) => string',
    "<%~ it.raw.postHtml(it.post) %>: the post's sanitized body, the only raw output of feed content",
  ],
  [
    'alternates',
    '{ type: string; title: string; href: string }[] | undefined',
    'a tag page\'s feeds: [{ type: "application/atom+xml", title: "Posts tagged “Rust” (Atom)", href: "/tags/rust/atom.xml" }]',
  ],
  ['query', 'string | undefined', 'the search page\'s words, shown in the search box: "memory safety"'],
];

const POST_VIEW =
  'PostView: { id: number; title?: string; url?: string; author: string; source: { id: number; name: string; homePageUrl?: string; face?: string; faceFile?: string; person?: { name: string; url?: string } } (show the face with it.links.face(post.source)); published: string (RFC 3339); publishedLabel: string; contentHtml: string (output it only with raw.postHtml); media: { kind: "audio" | "video" | "link"; url: string; mimeType?: string; label: string }[]; youtube?: { id; watchUrl; embedUrl; thumbnailUrl }; tags: { name: string; key: string }[]; alsoIn: { id: number; name: string }[] }';
const POST_EXAMPLE =
  '{ id: 42, title: "Memory safety", url: "https://ada.example.org/memory", author: "Ada", source: { id: 3, name: "Ada\'s Notebook" }, publishedLabel: "10 May 2024, 10:00", tags: [{ name: "Rust", key: "rust" }], … }';
const HEALTH_VIEW =
  'SourceHealthView: { id: number; name: string; feedUrl: string; homePageUrl?: string; face?: string; faceFile?: string; person?: { name: string; url?: string }; status: "active" | "error" | "gone" | "paused" | "retired"; notice?: string; lastSuccess?: string; lastError?: string; nextAttempt?: string; httpStatus?: number; medianLatencyMs?: number; lastLatencyMs?: number; postsPerWeek: number; chart: { width; height; days; barsPath; strips; summary } }';
const HEALTH_EXAMPLE =
  '{ id: 3, name: "Ada\'s Notebook", feedUrl: "https://ada.example.org/feed.xml", status: "active", postsPerWeek: 1.5, … }';
const PARTS = '{ text: string; match: boolean }[]';
const PARTS_EXAMPLE = '[{ text: "on ", match: false }, { text: "memory", match: true }]';
const RIVER_VIEW = '{ days: { key: string; label: string; posts: PostView[] }[]; older?: string }';
const RIVER_EXAMPLE = '{ days: [{ key: "2024-05-10", label: "Friday, 10 May 2024", posts: [PostView, …] }] }';
const LINK = '{ href: string; label: string }';

/** Each template's own variables, beside the common ones. */
export const TEMPLATE_CONTEXT: Readonly<Record<string, { about: string; variables: readonly Variable[] }>> = {
  '@layout': {
    about: 'The page around every page template: head, site header, footer.',
    variables: [
      ['body', 'string', 'the rendered page template: <%~ it.body %> (raw: our own rendered HTML)'],
    ],
  },
  '@river': {
    about: 'The river, and the pages of a tag, a category, a month and a source’s posts.',
    variables: [
      ['heading', 'string', '"Latest posts"'],
      ['intro', 'string | undefined', 'the site description'],
      ['river', RIVER_VIEW, RIVER_EXAMPLE],
      ['newest', 'string | undefined', 'link back to the first page: "/"'],
      ['older', 'string | undefined', 'link to the next page: "/?before=…"'],
      ['archive', `${LINK} | undefined`, '{ href: "/archive/2024/05", label: "May 2024" }'],
      [
        'scope',
        '{ sources?: { id; name }[]; categories?: { name; key }[]; feeds: { atom; rss; jsonFeed } } | undefined',
        "a tag or category page's feeds",
      ],
      ['months', `{ previous?: ${LINK}; next?: ${LINK} } | undefined`, "an archive month's neighbours"],
    ],
  },
  '@post': {
    about: 'One post in a list or on its own page (wraps @postBody).',
    variables: [
      ['post', POST_VIEW, POST_EXAMPLE],
      ['level', 'number', '3 (heading level of the title)'],
      ['embed', 'boolean', 'true on the post’s own page: YouTube as a player, else a thumbnail'],
    ],
  },
  '@postBody': {
    about: 'A post’s header, sanitized body and media.',
    variables: [
      ['post', 'PostView', POST_EXAMPLE],
      ['level', 'number', '3'],
      ['embed', 'boolean', 'false'],
    ],
  },
  '@postHeader': {
    about: 'A post’s title, attribution, source, date, tags.',
    variables: [
      ['post', 'PostView', POST_EXAMPLE],
      ['level', 'number', '2'],
      ['titleParts', `${PARTS} | undefined`, PARTS_EXAMPLE],
    ],
  },
  '@title': {
    about: 'A post’s title, its search matches marked.',
    variables: [
      ['post', 'PostView', POST_EXAMPLE],
      ['titleParts', `${PARTS} | undefined`, PARTS_EXAMPLE],
    ],
  },
  '@marked': { about: 'Text with search matches in <mark>.', variables: [['parts', PARTS, PARTS_EXAMPLE]] },
  '@postlinks': {
    about: 'A post’s tags and the other sources that carried it.',
    variables: [['post', 'PostView', POST_EXAMPLE]],
  },
  '@face': {
    about: 'A face (image) or the initial of a name, and the name as a link.',
    variables: [
      ['face', 'string | undefined', '"https://ada.example.org/ada.png"'],
      ['name', 'string', '"Ada Lovelace"'],
      ['href', 'string', '"/sources/3"'],
    ],
  },
  '@health': {
    about: 'A source’s health figures and its 30-day chart.',
    variables: [
      ['health', HEALTH_VIEW, HEALTH_EXAMPLE],
      ['compact', 'boolean', 'true on /sources (the chart as a few paths), false on a source’s page'],
    ],
  },
  '@sources': {
    about: 'The /sources page.',
    variables: [
      [
        'summary',
        '{ following: number; counts: { status: string; count: number; href?: string }[] }',
        '{ following: 12, counts: [{ status: "active", count: 11 }, …] }',
      ],
      ['statuses', 'string[]', '["active", "error", "gone", "paused", "retired"]'],
      ['listing', '{ size: number; status?: string; search?: string }', '{ size: 100 }'],
      ['cards', 'SourceHealthView[]', `[${HEALTH_EXAMPLE}]`],
      ['first', 'string | undefined', 'link to the first page'],
      ['next', 'string | undefined', 'link to the next page'],
    ],
  },
  '@people': {
    about: 'The /people page: people by name, 50 a page.',
    variables: [
      [
        'people',
        '{ name: string; url?: string; face?: string; faceFile?: string; sources: { id: number; name: string; homePageUrl?: string }[] }[]',
        '[{ name: "Ada Lovelace", url: "https://ada.example.org/", face: "/img/…", sources: [{ id: 3, name: "Ada\'s Notebook" }] }]',
      ],
      ['first', 'string | undefined', 'link to the first page'],
      ['next', 'string | undefined', 'link to the next page'],
    ],
  },
  '@sourceCard': {
    about: 'One source on /sources.',
    variables: [['health', 'SourceHealthView', HEALTH_EXAMPLE]],
  },
  '@source': {
    about: 'A source’s page: its health, then its posts (through @river).',
    variables: [
      ['health', 'SourceHealthView', HEALTH_EXAMPLE],
      ['river', RIVER_VIEW, RIVER_EXAMPLE],
      ['scope', '{ categories?: { name; key }[]; feeds: { atom; rss; jsonFeed } }', 'the source’s feeds'],
      ['newest', 'string | undefined', '"/sources/3"'],
      ['older', 'string | undefined', '"/sources/3?before=…"'],
    ],
  },
  '@entry': { about: 'A post’s own page (permalink).', variables: [['post', 'PostView', POST_EXAMPLE]] },
  '@hit': {
    about: 'One search result.',
    variables: [
      [
        'hit',
        `{ post: PostView; title: ${PARTS}; snippet: ${PARTS} }`,
        `{ post: PostView, title: ${PARTS_EXAMPLE}, snippet: [] }`,
      ],
    ],
  },
  '@search': {
    about: 'The search page.',
    variables: [
      ['problem', 'string | undefined', 'a query that could not run, said for the reader'],
      ['summary', 'string | undefined', '"3 posts match “memory”."'],
      ['hits', 'Hit[] | undefined', 'see @hit'],
      ['newer', 'string | undefined', 'link to better matches'],
      ['older', 'string | undefined', 'link to more matches'],
    ],
  },
  '@message': {
    about: 'Not found, and errors.',
    variables: [
      ['heading', 'string', '"Not found"'],
      ['message', 'string', '"There is no page at this address."'],
    ],
  },
  '@scope': {
    about: 'A tag’s, category’s or source’s sources, categories and feeds.',
    variables: [
      [
        'scope',
        '{ sources?: { id; name }[]; categories?: { name; key }[]; feeds: { atom; rss; jsonFeed } }',
        '{ feeds: { atom: "/tags/rust/atom.xml", … } }',
      ],
    ],
  },
  '@months': {
    about: 'An archive month’s neighbours.',
    variables: [
      [
        'months',
        `{ previous?: ${LINK}; next?: ${LINK} }`,
        '{ previous: { href: "/archive/2024/04", label: "April 2024" } }',
      ],
    ],
  },
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (variables: readonly Variable[]) =>
  [
    '| variable | type | example |',
    '|---|---|---|',
    ...variables.map((v) => `| \`it.${v[0]}\` | ${cell(v[1])} | ${cell(v[2])} |`),
  ].join('\n');

/** The README of an exported theme. `files`: the template files written, in order. */
export function themeReadme(files: readonly string[]): string {
  const sections = files.map((file) => {
    const name = `@${file.replace(/\.eta$/, '')}`;
    const doc = TEMPLATE_CONTEXT[name];
    return doc
      ? `### ${file} (\`include('${name}', {…})\`)\n\n${doc.about}\n\n${doc.variables.length > 0 ? table(doc.variables) : ''}`
      : '';
  });
  return `# A Tributary theme

Point \`site.theme\` in the config at this folder (relative to the config file). Each template here
overrides the built-in one of the same name; delete the ones you leave as they are and they fall back to
the built-in ones, so a Tributary upgrade reaches them. Templates are [Eta](https://eta.js.org):
\`<%= value %>\` prints escaped text, \`<% code %>\` runs JavaScript, \`<%~ include('@name', { … }) %>\`
includes a template (its variables: the caller's, plus the ones given).

Rules, checked when \`serve\`, \`run\` or \`build\` start (an error names the file and line, and nothing starts):

- Raw output (\`<%~ %>\`) is only for \`include('@name', {…})\`, \`it.raw.postHtml(post)\` (the post's body,
  sanitized when it was fetched) and, in layout.eta, \`it.body\`. Everything else is printed escaped with \`<%= %>\`.
  Eta's other ways to write unescaped (\`output()\`, \`__eta\`, \`this\`, \`layout()\`, \`block()\`) are refused.
- Only the templates listed below exist; a file of another name is an error.
- Other files here (css, png, jpg, gif, webp, avif, svg, ico, woff, woff2, ttf, otf) are served under
  \`/theme/<name>.<hash>.<ext>\`, cached for a year; link them with \`it.links.theme('logo.png')\`.
  \`style.css\` is the site's stylesheet (\`/style.css\`); its \`url(logo.png)\` are pointed at the hashed names.
  \`favicon.ico\` becomes \`/favicon.ico\`.
- The Content Security Policy is the same whatever the theme: no scripts, no inline styles; stylesheets,
  fonts and images from this folder or over \`https:\`.
- Templates run as JavaScript in the server: use themes you trust.

## What every template receives

${table(COMMON)}

## Each template
${sections.filter(Boolean).join('\n\n')}
`;
}
