/** `tributary parse`: what it prints by default (what would be stored), with --raw, and what --help says. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tributary-parse-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FEED = join(dir, 'feed.xml');
writeFileSync(
  FEED,
  `<rss version="2.0"><channel><title>T</title><item><title>x</title><link>https://ex.org/x</link>
  <description><![CDATA[<p onclick="steal()">Hi<script>alert(1)</script></p>]]></description></item></channel></rss>`,
);

const tributary = (...args: string[]) =>
  execFileSync(process.execPath, [CLI, ...args], { cwd: dir }).toString();

test('parse prints the items as they would be stored: content sanitized', () => {
  const item = JSON.parse(tributary('parse', FEED)).items[0];
  assert.equal(item.content_html, '<p>Hi</p>');
});

test("parse --raw prints the parser's own output, unsanitized", () => {
  const item = JSON.parse(tributary('parse', '--raw', FEED)).items[0];
  assert.equal(item.content_html, '<p onclick="steal()">Hi<script>alert(1)</script></p>');
});

test('parse --help says which of the two it prints', () => {
  const help = tributary('parse', '--help');
  assert.match(help, /sanitized/);
  assert.match(help, /--raw/);
});
