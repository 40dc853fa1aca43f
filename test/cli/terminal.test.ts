/**
 * `refresh` on a terminal shows its progress bar and the final summary; log lines appear only at the level
 * the user set (TRIBUTARY_LOG_LEVEL, honoured on a terminal too), each whole on its own line above the bar,
 * never torn by it.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FeedServer, type Route, rssFeed, startFeedServer } from '../ingest/feed-server.js';
import { runOnTerminal, tempDir } from './cli.js';

const dir = tempDir('terminal');
const routes = new Map<string, Route>();
let server: FeedServer;
before(async () => {
  for (let i = 0; i < 6; i++) routes.set(`/feed${i}.xml`, { body: rssFeed(`site${i}`, 3) });
  server = await startFeedServer(routes);
  const sources = [...routes.keys(), '/missing.xml'].map((path) => `  - ${server.url(path)}`).join('\n');
  writeFileSync(join(dir, 'tributary.yaml'), `database: river.db\nsources:\n${sources}\n`);
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the terminal was given to show, line by line: split where the cursor goes back to the start of a
 * line (a carriage return or CSI G, which redraws a line), other escape sequences dropped. */
const screenLines = (output: string) =>
  output
    .replace(/\x1b\[\d*G/g, '\r')
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');

test('on a terminal, refresh shows the bar and the summary only', async () => {
  const { code, stdout } = await runOnTerminal(['refresh', '--all'], {
    cwd: dir,
    env: { TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1' },
  });
  assert.equal(code, 3, stdout);
  const lines = screenLines(stdout);
  assert.ok(
    lines.some((l) => /^refresh \[.*\] 7\/7 sources/.test(l)),
    `the bar:\n${lines.join('\n')}`,
  );
  assert.ok(lines.some((l) => /^refreshed 7 source\(s\) in .*6 ok.*1 failed/.test(l)));
  assert.ok(lines.some((l) => l.includes(`✗ ${server.url('/missing.xml')}: HTTP 404`)));
  assert.ok(!lines.some((l) => l.includes('"level"')), `no log lines:\n${lines.join('\n')}`);
});

test('on a terminal, TRIBUTARY_LOG_LEVEL is honoured, and each log line is whole on its own line', async () => {
  const { code, stdout } = await runOnTerminal(['refresh', '--all'], {
    cwd: dir,
    env: { TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'debug' },
  });
  assert.equal(code, 3, stdout);
  const logLines = screenLines(stdout).filter((l) => l.includes('"level"'));
  const logs = logLines.map((line) => {
    assert.ok(line.startsWith('{'), `a log line starts the line: ${line}`);
    return JSON.parse(line) as { level: number; msg: string };
  });
  assert.ok(
    logs.some((l) => l.level === 40 && /fetch failed/.test(l.msg)),
    'the failure, at warn',
  );
  assert.equal(logs.filter((l) => l.level <= 30 && /fetched/.test(l.msg)).length, 6, 'every fetch, at debug');
});
