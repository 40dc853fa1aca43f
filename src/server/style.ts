import { PEOPLE_STYLE } from './people-templates.js';
import { PLANET_STYLE } from './planet-templates.js';

/**
 * `/style.css`: the one stylesheet. Readable on phones and desktops (one fluid column), light and dark by
 * `prefers-color-scheme`, no JavaScript. The CSP allows no inline styles (`style-src 'self' https:`), so pages
 * carry no `style` attributes of their own. The default theme's `style.css` (theme/theme.ts).
 */
export const STYLE_CSS = `:root {
  color-scheme: light dark;
  --bg: #fdfdfc;
  --fg: #1d1f21;
  --muted: #5c6166;
  --rule: #dfe2e5;
  --link: #0b57d0;
  --visited: #6a3ab2;
  --card: #ffffff;
  --bar: #4a7bd0;
  --ok: #2e8b57;
  --warn: #c98a00;
  --bad: #c0392b;
  --none: #c9ced3;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a;
    --fg: #e4e6e8;
    --muted: #a0a7ae;
    --rule: #30353a;
    --link: #8ab4f8;
    --visited: #c58af9;
    --card: #1c1f23;
    --bar: #6f9be8;
    --ok: #4cbb7f;
    --warn: #e0a82e;
    --bad: #ef6b5b;
    --none: #454b52;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto;
  max-width: 46rem;
  padding: 0 1rem 2rem;
  background: var(--bg);
  color: var(--fg);
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: break-word;
}
a { color: var(--link); }
a:visited { color: var(--visited); }
h1, h2, h3 { line-height: 1.25; }
h1 { font-size: 1.75rem; margin: 1.5rem 0 1rem; }

header.site {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem 1.5rem;
  padding: 1rem 0;
  border-bottom: 1px solid var(--rule);
}
.site-title { margin: 0; font-size: 1.3rem; font-weight: 700; }
.site-title a { color: inherit; text-decoration: none; }
header.site nav ul { display: flex; gap: 1rem; margin: 0; padding: 0; list-style: none; }
form.search { display: flex; gap: 0.4rem; align-items: center; margin-left: auto; }
form.search label {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
form.search input, form.search button {
  font: inherit; font-size: 0.95rem; padding: 0.3rem 0.5rem;
  border: 1px solid var(--rule); border-radius: 4px; background: var(--card); color: var(--fg);
}
form.search input { width: 11rem; max-width: 100%; }

.day > h2 {
  position: sticky; top: 0; z-index: 1;
  margin: 2rem 0 0.5rem; padding: 0.4rem 0;
  background: var(--bg); border-bottom: 2px solid var(--rule);
  font-size: 1rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted);
}
.post { padding: 1rem 0 1.5rem; border-bottom: 1px solid var(--rule); }
.post-title { margin: 0 0 0.25rem; font-size: 1.35rem; }
h1.post-title { font-size: 1.9rem; }
.post-title a { color: inherit; text-decoration: none; }
.post-title a:hover, .post-title a:focus { text-decoration: underline; }
.attribution, .meta { margin: 0.15rem 0; font-size: 0.9rem; color: var(--muted); }
.attribution a { overflow-wrap: anywhere; }
.content { margin-top: 0.75rem; }
.content img, .content video, .content picture, .media video, .video-thumb img {
  max-width: 100%; height: auto;
}
.content iframe, .video iframe { display: block; width: 100%; height: auto; aspect-ratio: 16 / 9; border: 0; }
.content pre {
  overflow-x: auto; padding: 0.75rem; border-radius: 4px;
  background: var(--card); border: 1px solid var(--rule); font-size: 0.9rem;
}
.content code { font-size: 0.92em; }
.content table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
.content th, .content td { border: 1px solid var(--rule); padding: 0.25rem 0.5rem; }
.content blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
.media, .video-thumb { margin: 0.75rem 0; }
.media audio, .media video { display: block; width: 100%; }
.media video { max-height: 70vh; background: #000; }
.media figcaption, .video-thumb figcaption { font-size: 0.85rem; color: var(--muted); }
.video-thumb img { display: block; }

nav.pages { display: flex; justify-content: space-between; margin: 2rem 0; }
nav.pages a[rel="next"] { margin-left: auto; }
.intro, .empty, .back { color: var(--muted); }

.hit .snippet { margin: 0.5rem 0 0; }
mark { background: color-mix(in srgb, var(--warn) 30%, transparent); color: inherit; border-radius: 2px; }
p.notice { padding: 0.6rem 0.8rem; border-left: 3px solid var(--warn); background: var(--card); }
.help { margin-top: 2rem; color: var(--muted); }
.help h2 { font-size: 1.05rem; }
kbd { font-family: ui-monospace, monospace; font-size: 0.9em; color: var(--fg); }

.source { margin: 1rem 0; padding: 1rem; border: 1px solid var(--rule); border-radius: 6px; background: var(--card); }
article.source h2 { margin: 0; font-size: 1.2rem; }
.health {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.5rem 1rem;
  margin: 0.75rem 0;
}
.health div { margin: 0; }
.health .wide { grid-column: 1 / -1; }
.health dt { font-size: 0.8rem; color: var(--muted); }
.health dd { margin: 0; font-variant-numeric: tabular-nums; }
.status-active { color: var(--ok); }
.status-error { color: var(--bad); }
.status-gone, .status-paused, .status-retired { color: var(--muted); }
ul.counts { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.5rem 0; padding: 0; list-style: none; }
form.filter { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin: 0.5rem 0 1rem; }
form.filter label { font-size: 0.85rem; color: var(--muted); }
form.filter input, form.filter select, form.filter button {
  font: inherit; font-size: 0.95rem; padding: 0.3rem 0.5rem;
  border: 1px solid var(--rule); border-radius: 4px; background: var(--card); color: var(--fg);
}
figure.chart { margin: 0.5rem 0 0; }
figure.chart svg { display: block; width: 100%; max-width: 32rem; height: auto; }
figure.chart figcaption { font-size: 0.8rem; color: var(--muted); }
.chart .bar { fill: var(--bar); }
.chart .outcome-ok { fill: var(--ok); }
.chart .outcome-throttled { fill: var(--warn); }
.chart .outcome-failed, .chart .outcome-gone { fill: var(--bad); }
.chart .outcome-none { fill: var(--none); }

footer.site { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); font-size: 0.85rem; color: var(--muted); }

@media (max-width: 40rem) {
  body { padding: 0 0.75rem 1.5rem; font-size: 1rem; }
  form.search { margin-left: 0; width: 100%; }
  form.search input { flex: 1; width: auto; }
  .post-title { font-size: 1.2rem; }
}
`.concat(PLANET_STYLE, PEOPLE_STYLE);
