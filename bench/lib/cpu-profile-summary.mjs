// Where a .cpuprofile (from `node --cpu-prof`, e.g. `bench/refresh.mjs --cpu-prof DIR`) spends its time:
// self time by area (Tributary module, npm package, Node internals, GC, idle), the top functions by self time,
// and Tributary's functions by inclusive time (which stage of the pipeline the time belongs to).
// Usage: node bench/lib/cpu-profile-summary.mjs FILE.cpuprofile [--top 20]
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/lib/cpu-profile-summary.mjs FILE.cpuprofile [--top N]');
const topIndex = process.argv.indexOf('--top');
const TOP = topIndex === -1 ? 20 : Number(process.argv[topIndex + 1]);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}

/** `dist/parse/xml.js` → `tributary parse/xml.js`; node_modules/<pkg>/… → `<pkg>`; node:… → `node internals`. */
function areaOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : 'native';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `tributary ${dist[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/');
}

const parents = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
const nameOf = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'}  ${areaOf({ functionName, url })}:${lineNumber + 1}`;

const byArea = new Map();
const byFunction = new Map();
/** Time with the function anywhere on the stack (counted once per sample however deep the recursion). */
const inclusive = new Map();
const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
let total = 0;
for (const [id, ms] of selfMs) {
  const frame = nodes.get(id).callFrame;
  add(byArea, areaOf(frame), ms);
  add(byFunction, nameOf(frame), ms);
  const onStack = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) onStack.add(nameOf(nodes.get(at).callFrame));
  for (const name of onStack) add(inclusive, name, ms);
  total += ms;
}

const print = (title, map) => {
  console.log(title);
  for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(
      `${(ms / 1000).toFixed(2).padStart(8)} s ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`,
    );
};
console.log(`${file}: ${(total / 1000).toFixed(2)} s sampled`);
print('self time by area', byArea);
print('self time by function', byFunction);
// Tributary's own functions only: package internals and Node's async plumbing would crowd them out.
print(
  'inclusive time, Tributary functions',
  new Map([...inclusive].filter(([name]) => name.includes('  tributary '))),
);
