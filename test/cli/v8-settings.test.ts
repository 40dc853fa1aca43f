/** The command's young-generation cap: when it relaunches itself with one, and that the running command has it. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { relaunchArgs } from '../../src/cli/v8-settings.js';
import { startCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-v8-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the relaunch keeps Node options and the command line, the cap first', () => {
  assert.deepEqual(relaunchArgs(['--import', 'x.js'], ['/usr/bin/node', 'main.js', 'refresh', '--all']), [
    '--max-semi-space-size=16',
    '--import',
    'x.js',
    'main.js',
    'refresh',
    '--all',
  ]);
});

test("an operator's own cap is kept: no relaunch, whether on the command line or in NODE_OPTIONS", () => {
  assert.equal(relaunchArgs(['--max-semi-space-size=64'], ['node', 'main.js']), undefined);
  assert.equal(relaunchArgs(['--max_semi_space_size', '4'], ['node', 'main.js']), undefined);
  assert.equal(relaunchArgs([], ['node', 'main.js'], '--trace-gc --max-semi-space-size=8'), undefined);
});

test('the running command has the cap where Node can relaunch a process in place (22.15+), and runs on without', async () => {
  // `parse -` waits for its input: time to read the running command's own command line.
  const child = startCli(['parse', '-'], { cwd: dir });
  const exited = new Promise((resolve) => child.on('close', resolve));
  const canRelaunch = typeof (process as { execve?: unknown }).execve === 'function';
  let cmdline = '';
  for (let tries = 0; tries < 100; tries++) {
    cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
    if (!canRelaunch || cmdline.includes('--max-semi-space-size=16')) break;
    await sleep(50);
  }
  assert.equal(cmdline.includes('--max-semi-space-size=16'), canRelaunch, cmdline);
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stdin.end(
    '<rss version="2.0"><channel><title>T</title><item><title>x</title></item></channel></rss>',
  );
  await exited;
  assert.equal(JSON.parse(stdout).items[0].title, 'x');
});
