// Content-stage throughput: Tributary's sanitizeHtml and htmlToText against sanitize-html (defaults) and
// html-to-text's convert (defaults), on the HTML bodies of the real-world corpus's items (extracted with
// feedsmith, so this bench does not depend on our own parser). Rounds are interleaved (round 1: A B C D,
// round 2: B C D A, …) so machine noise spreads over all four, and the median round is reported.
// Usage (after `npm run build`): node bench/content.mjs [--rounds N]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed } from 'feedsmith';
import { convert } from 'html-to-text';
import sanitizeHtmlLibrary from 'sanitize-html';
import { htmlToText, sanitizeHtml } from '../dist/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg === -1 ? 7 : Number(process.argv[roundsArg + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 50) throw new Error('--rounds wants an integer 1–50');
/** Stop starting new rounds after this long, so the run stays well under a minute. */
const BUDGET_MS = 40_000;

const CONTENDERS = [
  { name: 'tributary sanitizeHtml', run: (html) => sanitizeHtml(html) },
  { name: 'sanitize-html (defaults)', run: (html) => sanitizeHtmlLibrary(html) },
  { name: 'tributary htmlToText', run: (html) => htmlToText(html) },
  { name: 'html-to-text convert', run: (html) => convert(html) },
];
const PAIRS = [
  ['tributary sanitizeHtml', 'sanitize-html (defaults)'],
  ['tributary htmlToText', 'html-to-text convert'],
];

/** Item HTML bodies from the real-world corpus, or generated samples when ../shared is absent. */
function corpus() {
  const realworld = join(here, '..', '..', 'shared', 'corpus', 'realworld');
  if (!existsSync(join(realworld, 'manifest.json'))) {
    console.log('../shared is absent: measuring on generated HTML samples instead (figures are rough)');
    return { source: 'generated samples', bodies: generatedBodies() };
  }
  const manifest = JSON.parse(readFileSync(join(realworld, 'manifest.json'), 'utf8'));
  const bodies = new Set();
  let unread = 0;
  for (const entry of manifest) {
    try {
      const { feed } = parseFeed(readFileSync(join(realworld, entry.file), 'utf8'));
      for (const item of feed.items ?? feed.entries ?? []) collectHtml(item, bodies);
    } catch {
      unread++;
    }
  }
  const note = unread ? `; ${unread} feeds feedsmith could not read` : '';
  return { source: `shared/corpus/realworld, ${manifest.length} feeds${note}`, bodies: [...bodies] };
}

/** The HTML strings of an item's body fields (description, content, content:encoded, summary, …). */
function collectHtml(value, bodies, key = '') {
  if (typeof value === 'string') {
    if (/^(description|content|encoded|summary|content_html|value)$/.test(key) && /<[a-z!/]/i.test(value))
      bodies.add(value);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectHtml(v, bodies, Array.isArray(value) ? key : k);
  }
}

function generatedBodies() {
  const post = (i) =>
    `<h2>Post ${i}</h2><p>Some <b>bold</b> and <a href="/p/${i}" onclick="x()">linked</a> text &amp; more.</p>` +
    `<ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul><img src="https://e.org/${i}.png" alt="">` +
    `<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>${i}</td></tr></table>` +
    `<pre>code  ${i}\n  indented</pre><script>track(${i})</script><p style="color: red">end</p>`;
  return Array.from({ length: 200 }, (_, i) => post(i).repeat(1 + (i % 5)));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const { source, bodies } = corpus();
const megabytes = bodies.reduce((sum, html) => sum + Buffer.byteLength(html), 0) / 1e6;
console.log(`corpus: ${source}: ${bodies.length} HTML bodies, ${megabytes.toFixed(2)} MB`);

const passOf = (contender) => {
  const start = performance.now();
  for (const html of bodies) contender.run(html);
  return performance.now() - start;
};
// Warm-up (JIT), not measured: a few passes, so that even the small generated corpus is measured hot.
for (let pass = 0; pass < 3; pass++) for (const contender of CONTENDERS) passOf(contender);

const timings = new Map(CONTENDERS.map((c) => [c.name, []]));
const started = performance.now();
let rounds = 0;
while (rounds < ROUNDS && performance.now() - started < BUDGET_MS) {
  for (let k = 0; k < CONTENDERS.length; k++) {
    const contender = CONTENDERS[(rounds + k) % CONTENDERS.length];
    timings.get(contender.name).push(passOf(contender));
  }
  rounds++;
}

const mbps = (name) => megabytes / (median(timings.get(name)) / 1000);
const width = Math.max(...CONTENDERS.map((c) => c.name.length));
console.log(`\n${rounds} interleaved rounds, median pass:`);
console.log(`${'function'.padEnd(width)}  median ms    MB/s`);
for (const { name } of CONTENDERS) {
  const ms = median(timings.get(name));
  console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(9)}  ${mbps(name).toFixed(2).padStart(6)}`);
}
console.log('');
for (const [ours, theirs] of PAIRS)
  console.log(`${ours} / ${theirs}: ${(mbps(ours) / mbps(theirs)).toFixed(2)}×`);
