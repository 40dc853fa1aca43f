// One parser in its own process, driven over IPC by bench/parse.mjs.
// argv: <parser name> <corpus list JSON file>. Messages in: {passes} (one timed round) or {exit}.
// Messages out: {ready, unavailable?} once, then per round {ms, cpuMs, bytes, items, failedFiles}.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [name, listFile] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8'));
const buffers = files.map((f) => readFileSync(f));

/** Each adapter: bytes → number of items (throws or returns -1 when the parser could not read the feed). */
const adapters = {
  async tributary() {
    const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const { parseFeed } = await import(entry);
    if (typeof parseFeed !== 'function') throw new Error('dist/index.js exports no parseFeed');
    // Tributary takes the raw bytes and decodes them itself.
    return (buf) => parseFeed(new Uint8Array(buf.buffer, buf.byteOffset, buf.length)).items.length;
  },
  async feedsmith() {
    const { parseFeed } = await import('feedsmith');
    return (buf) => {
      const { feed } = parseFeed(buf.toString('utf8'));
      return (feed.items ?? feed.entries ?? []).length;
    };
  },
  async rowanmanning() {
    const { parseFeed } = await import('@rowanmanning/feed-parser');
    return (buf) => parseFeed(buf.toString('utf8')).items.length;
  },
  async 'rss-parser'() {
    const { default: Parser } = await import('rss-parser');
    const parser = new Parser();
    return async (buf) => (await parser.parseString(buf.toString('utf8'))).items.length;
  },
  async htmlparser2() {
    const { parseFeed } = await import('htmlparser2');
    return (buf) => {
      const feed = parseFeed(buf.toString('utf8'));
      return feed ? feed.items.length : -1;
    };
  },
};

let parse;
try {
  if (!adapters[name]) throw new Error(`unknown parser ${name}`);
  parse = await adapters[name]();
} catch (e) {
  process.send({ ready: true, unavailable: e.message }, () => process.exit(0));
}

/** Parses the corpus `passes` times; a file that throws counts in bytes, not in items. */
async function round(passes) {
  let bytes = 0;
  let items = 0;
  const failed = new Set();
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < buffers.length; i++) {
      bytes += buffers[i].length;
      try {
        const n = await parse(buffers[i]);
        if (n >= 0) items += n;
        else failed.add(i);
      } catch {
        failed.add(i);
      }
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { ms, cpuMs, bytes, items, failedFiles: [...failed].map((i) => files[i]) };
}

if (parse) {
  await round(2); // warm-up: JIT, lazy tables, heap growth
  process.send({ ready: true });
  process.on('message', async (msg) => {
    if (msg.exit) process.exit(0);
    process.send(await round(msg.passes));
  });
}
