/** Properties every parse of a real-world feed must have, over ../shared's corpus (skipped when absent). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FeedError, parseFeed } from '../../src/parse/index.js';

const shared = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const realworld = `${shared}corpus/realworld/`;
const absent = !existsSync(`${realworld}manifest.json`) && 'shared corpus absent';
// JSON.stringify escapes lone surrogates as \udxxx and NUL as \u0000.
const BAD_TEXT = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

test('every real-world feed parses to a sound model, or fails with a typed error', { skip: absent }, () => {
  const manifest = JSON.parse(readFileSync(`${realworld}manifest.json`, 'utf8')) as {
    file: string;
    format: string;
  }[];
  let parsed = 0;
  for (const { file, format } of manifest) {
    const bytes = new Uint8Array(readFileSync(realworld + file));
    let feed: ReturnType<typeof parseFeed>;
    try {
      feed = parseFeed(bytes, { url: `https://example.test/${file}` });
    } catch (e) {
      assert.ok(e instanceof FeedError, `${file}: ${e}`);
      assert.equal(format, 'unknown', `${file} (${format}) should parse: ${(e as Error).message}`);
      continue;
    }
    parsed++;
    for (const item of feed.items) {
      assert.ok(item.id, `${file}: item without id`);
      for (const d of [item.date_published, item.date_modified]) if (d) assert.match(d, RFC3339, file);
      for (const u of [item.url, item.external_url, item.image])
        if (u) assert.match(u, /^https?:/, `${file}: ${u}`);
      assert.ok(!BAD_TEXT.test(JSON.stringify(item)), `${file}: NUL or lone surrogate`);
    }
  }
  assert.ok(parsed >= manifest.length - 2, `parsed ${parsed} of ${manifest.length}`);
});

const conformance = `${shared}tools/conformance.mjs`;
const project = fileURLToPath(new URL('../../../', import.meta.url));
test('conformance floor: lenient ≥ 95 % on every shared suite', {
  skip:
    (!existsSync(conformance) && 'shared tools absent') ||
    (!existsSync(`${project}dist/index.js`) && 'not built'),
}, () => {
  const out = execFileSync(process.execPath, [conformance, '--project', project, '--show', '0'], {
    encoding: 'utf8',
  });
  const rows = out.split('\n').filter((l) => /^(feedparser|realworld\/\S+)\s+\d+/.test(l));
  assert.ok(rows.length >= 3, out);
  for (const row of rows) {
    // Columns: suite, cases, checks, strict %, lenient %, …
    const lenient = Number.parseFloat(row.trim().split(/\s+/)[4] ?? '');
    assert.ok(lenient >= 95, `below the floor: ${row}`);
  }
});
