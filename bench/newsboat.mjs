// Tributary against newsboat (C++, SQLite cache) on the same loopback feeds, whole programs in fresh processes:
// ../shared/tools/refresh-vs-newsboat/run.sh serves N corpus feeds and runs each program cold (new store) and
// warm, interleaved, --rounds times, printing wall/CPU/peak RSS per run and the ratios of the medians. This adds
// the spread of each figure over the rounds and the load average, since the machine may be shared.
// newsboat is installed with apt when missing. Skips (exit 0) when ../shared is absent.
// Usage (after `npm run build`): node bench/newsboat.mjs [--sizes 300,1000] [--rounds 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseSizes } from './lib/sizes.mjs';

const project = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('../../shared/tools/refresh-vs-newsboat/run.sh', import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const sizes = parseSizes(option('sizes', '300,1000'));
const rounds = Number(option('rounds', '3'));
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 9) throw new Error('--rounds wants an integer 1–9');

if (!existsSync(script)) {
  console.log(`shared/ absent (no ${script}): skipped`);
  process.exit(0);
}
if (spawnSync('newsboat', ['--version'], { stdio: 'ignore' }).error) {
  console.log('newsboat is missing: installing it with apt-get');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'newsboat'], { stdio: 'inherit' });
  } catch (e) {
    console.error(
      `could not install newsboat (${e.message}); install it (apt-get install newsboat) and rerun`,
    );
    process.exit(1);
  }
}

const load = () => loadavg()[0].toFixed(2);
for (const n of sizes) {
  console.log(`\n${n} feeds, ${rounds} round(s); load average ${load()} at start`);
  // Each run.sh round serves, runs and stops everything itself; bound it generously all the same.
  const run = spawnSync('bash', [script, project, String(n), String(rounds)], {
    encoding: 'utf8',
    timeout: (60 + n * 0.5) * rounds * 4 * 1000,
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0) {
    console.error(`run.sh failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`);
    process.exitCode = 1;
    continue;
  }
  // Rows: "<program> <phase> wall W s  cpu C s  rss R MiB …"; the spread says how far one round can be trusted.
  const rows = [
    ...run.stdout.matchAll(/^(\w+)\s+(cold|warm)\s+wall\s+([\d.]+) s\s+cpu\s+([\d.]+) s\s+rss\s+(\d+)/gm),
  ];
  for (const phase of ['cold', 'warm']) {
    const spread = (program, field) => {
      const values = rows.filter((r) => r[1] === program && r[2] === phase).map((r) => Number(r[field]));
      return `${Math.min(...values)}–${Math.max(...values)}`;
    };
    console.log(
      `spread ${phase}: cpu tributary ${spread('tributary', 4)} s, newsboat ${spread('newsboat', 4)} s; ` +
        `rss tributary ${spread('tributary', 5)} MiB, newsboat ${spread('newsboat', 5)} MiB`,
    );
  }
  console.log(`load average ${load()} at end`);
}
