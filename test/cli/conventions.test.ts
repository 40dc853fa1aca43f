/** Command-line conventions: --version, and the installed command is runnable as `npx tributary`. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type CliResult, runCli, tempDir } from './cli.js';

const dir = tempDir('conventions');
after(() => rmSync(dir, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

test("--version prints package.json's version", async () => {
  const { code, stdout } = await runCli(['--version'], { cwd: dir });
  assert.equal(code, 0);
  assert.equal(stdout.trim(), pkg.version);
});

test('`npx tributary` in the project runs the built command', async () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const { code, stdout, stderr } = await new Promise<CliResult>((resolve, reject) => {
    execFile('npx', ['--offline', 'tributary', '--version'], { cwd: root }, (error, stdout, stderr) =>
      error && typeof error.code !== 'number'
        ? reject(error)
        : resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), pkg.version);
});

test('refusing a loopback address says how to allow it: TRIBUTARY_ALLOW_PRIVATE_NETWORKS', async () => {
  for (const url of ['http://127.0.0.1:9/feed.xml', 'http://localhost:9/feed.xml']) {
    const { code, stderr } = await runCli(['parse', url], { cwd: dir });
    assert.equal(code, 1);
    assert.match(stderr, /refused|is in|localhost name/);
    assert.match(stderr, /TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1/, stderr);
  }
});
