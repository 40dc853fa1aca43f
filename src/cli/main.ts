#!/usr/bin/env node
/** The `tributary` command: one file per command under commands/, each thin. */
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { redactUrl } from '../url-display.js';
import { capYoungGeneration, growHeapSlowly, optimizeLater } from './v8-settings.js';

/** package.json's version: the nearest package.json above this file (dist/cli/, or .build/src/cli/ in tests). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
    if (dir.pathname === '/') throw new Error('tributary: no package.json above the command');
  }
}

capYoungGeneration();
growHeapSlowly();

/** Commands that keep running; every other one runs once and exits (see optimizeLater). */
const DAEMONS = new Set(['run', 'worker', 'serve', 'demo']);

const program = new Command('tributary')
  .description('Feed syndication aggregator: many feeds in, one river of posts out.')
  .version(packageVersion())
  .option('-c, --config <file>', 'config file (default: $TRIBUTARY_CONFIG or ./tributary.yaml)')
  .option(
    '--database <url>',
    'SQLite path, sqlite:PATH or postgres:// URL (default: $TRIBUTARY_DATABASE_URL or the config)',
  )
  .showHelpAfterError();

type Action = (...args: never[]) => number | Promise<number>;
/**
 * Runs a command with the global options merged in; errors become one clear line and exit code 1.
 * `load` imports the command's module only when it runs: importing every command up front (the web server,
 * linkedom, nodemailer, resvg, pg…) cost each `tributary refresh` 0.8 s of CPU and 60 MiB before its first
 * fetch.
 */
function action(load: () => Promise<Action>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = { ...program.opts(), ...cmd.opts() };
    const positional = args.slice(0, -2);
    if (!DAEMONS.has(cmd.name())) optimizeLater();
    try {
      const fn = (await load()) as (...a: unknown[]) => number | Promise<number>;
      process.exitCode = await fn(...positional, opts);
    } catch (e) {
      // `theme export` is named whole: the user typed both words.
      const name = cmd.parent && cmd.parent !== program ? `${cmd.parent.name()} ${cmd.name()}` : cmd.name();
      console.error(`tributary ${name}: ${redactUrl((e as Error).message)}`);
      process.exitCode = 1;
    }
  };
}

program
  .command('parse <source>')
  .description(
    'parse a feed file, URL or - (stdin) and print it as JSON Feed, content sanitized as it would be stored',
  )
  .option('--text', 'print each post as the plain-text digest does')
  .option('--raw', "print the parser's own output, before sanitizing")
  .action(action(async () => (await import('./commands/parse.js')).parseCommand));
program
  .command('init')
  .description('write a starter config file with the bundled sources')
  .option('--force', 'overwrite an existing file')
  .action(action(async () => (await import('./commands/subscriptions.js')).initCommand));
program
  .command('add <url>')
  .description('subscribe to a feed (a page URL or YouTube channel is resolved to its feed)')
  .option('--name <name>', 'display name')
  .option('--author <author>', 'attribution when posts name no author')
  .option('--no-discover', 'add the URL as given, without autodiscovery')
  .action(action(async () => (await import('./commands/subscriptions.js')).addCommand));
program
  .command('remove <url-or-name>')
  .description(
    'unsubscribe (by URL, or the name `list` shows); its posts stay, as a retired source, unless --purge',
  )
  .option('--purge', 'also delete the source and its posts from the database')
  .action(action(async () => (await import('./commands/subscriptions.js')).removeCommand));
program
  .command('purge [sources...]')
  .description('delete sources that left the config, with their posts (by URL, name or id)')
  .option('--retired', 'every retired source')
  .action(action(async () => (await import('./commands/purge.js')).purgeCommand));
program
  .command('list')
  .description('list sources with their status')
  .option('--json', 'machine-readable output')
  .action(action(async () => (await import('./commands/list.js')).listCommand));
program
  .command('import <opml>')
  .description('add the feeds of an OPML file')
  .action(action(async () => (await import('./commands/subscriptions.js')).importCommand));
program
  .command('export')
  .description('print the sources as OPML')
  .action(action(async () => (await import('./commands/subscriptions.js')).exportCommand));
program
  .command('refresh')
  .description('fetch the sources that are due, once')
  .option('--all', 'fetch every source, due or not')
  .option('--json', 'print the summary as JSON')
  .option('--no-progress', 'no progress bar')
  .action(action(async () => (await import('./commands/refresh.js')).refreshCommand));
program
  .command('run')
  .description('run the aggregator: serve the river and keep sources refreshed')
  .option('--listen <host:port>', 'where to serve (default: site.listen in the config, 127.0.0.1:8080)')
  .action(action(async () => (await import('./commands/run.js')).runCommand));
program
  .command('worker')
  .description('refresh sources only (no web server); run any number against one PostgreSQL database')
  .action(action(async () => (await import('./commands/run.js')).workerCommand));
program
  .command('migrate')
  .description('create or upgrade the database schema, then exit')
  .action(action(async () => (await import('./commands/serve.js')).migrateCommand));
program
  .command('serve')
  .description('serve the river only (no fetching): a web replica')
  .option('--listen <host:port>', 'where to serve (default: site.listen in the config)')
  .action(action(async () => (await import('./commands/serve.js')).serveCommand));
program
  .command('build')
  .description('write the site as static files')
  .requiredOption('--out <dir>', 'output folder')
  .option('--force', 'write even a site of 0 posts over a folder that holds files')
  .action(action(async () => (await import('./commands/serve.js')).buildCommand));
program
  .command('theme')
  .description('make the site your own: see README "Themes"')
  .command('export <dir>')
  .description('write the built-in templates, stylesheet and a README of their variables into <dir>')
  .option('--from <theme>', 'the built-in theme to start from: default or planet', 'default')
  .option('--force', 'overwrite files already there')
  .action(action(async () => (await import('./commands/theme.js')).themeExportCommand));

program
  .command('demo')
  .description('serve invented sample feeds on this machine, aggregate them and serve the river (no network)')
  .option(
    '--listen <host:port>',
    'where to serve the river (default 127.0.0.1:8080; port 0 picks a free one)',
  )
  .option('--once', 'refresh the sample feeds, print the summary and exit')
  .action(action(async () => (await import('./commands/demo.js')).demoCommand));

await program.parseAsync();
