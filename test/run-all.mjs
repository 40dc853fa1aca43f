// The test command: every compiled `*.test.js` under .build/test, run by node's own test runner.
// Node 20 takes a directory; Node 21+ take only files and globs, and Node 20 no globs, so the files are listed
// here, which works on every release. Zero files is a failure, not a green run of nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = '.build/test';
let files;
try {
  files = readdirSync(root, { recursive: true })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => join(root, name))
    .sort();
} catch (error) {
  console.error(`test: cannot read ${root} (${error.message}); run \`npm run build:test\` first`);
  process.exit(1);
}
if (files.length === 0) {
  console.error(`test: no *.test.js files under ${root}; the test build produced nothing to run`);
  process.exit(1);
}
console.log(`test: ${files.length} test files on Node ${process.version}`);
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    ...process.argv.slice(2),
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
