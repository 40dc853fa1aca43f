/** Runs the built `tributary` command (dist/cli/main.js, what `npx tributary` runs) as a user would: in a
 * directory of the test's own, with no TRIBUTARY_* variable of the developer's shell leaking in. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
}

function cliEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRIBUTARY_')));
  return { ...clean, ...env };
}

/** Starts `tributary ARGS` (for commands that keep running: `run`, `serve`). */
export function startCli(args: string[], opts: CliOptions): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: cliEnv(opts.env) });
}

/** Runs `tributary ARGS` to its end; one still running after `timeoutMs` is killed (code null), so a command
 * that should have stopped fails its test instead of hanging it. */
export function runCli(args: string[], opts: CliOptions & { timeoutMs?: number }): Promise<CliResult> {
  return finished(startCli(args, opts), opts.timeoutMs);
}

/** Runs `tributary ARGS` on a terminal (a pseudo-terminal made by util-linux `script`), as a user at a shell
 * would: stdout holds what the terminal showed, both streams and the escape sequences included. */
export function runOnTerminal(args: string[], opts: CliOptions & { timeoutMs?: number }): Promise<CliResult> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: opts.cwd, env: cliEnv(opts.env) });
  return finished(child, opts.timeoutMs);
}

function finished(child: ChildProcessWithoutNullStreams, timeoutMs = 60_000): Promise<CliResult> {
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A new empty directory under the system's temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tributary-cli-${prefix}-`));
}

/** The names in `dir`, sorted: what a user would see with `ls`. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}
