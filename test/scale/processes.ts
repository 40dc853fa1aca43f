/**
 * `tributary` child processes for the scale-out test: spawned from the compiled CLI, their output kept for
 * failure messages, every wait bounded, and all of them killed when the test ends however it ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
/** Enough of a process's stderr to explain a failure, without holding thousands of log lines. */
const KEPT_OUTPUT = 16_384;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  name: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

export class CliProcesses {
  readonly #running = new Set<CliProcess>();

  constructor(readonly env: NodeJS.ProcessEnv) {}

  start(name: string, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout = (stdout + d).slice(-KEPT_OUTPUT)));
    child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-KEPT_OUTPUT)));
    const proc: CliProcess = {
      name,
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      exited: new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => {
          this.#running.delete(proc);
          resolve({ code, signal });
        });
      }),
    };
    this.#running.add(proc);
    return proc;
  }

  /** Runs a command to its end; fails if it takes longer than `timeoutMs` or exits other than 0. */
  async run(name: string, args: string[], timeoutMs: number): Promise<CliProcess> {
    const proc = this.start(name, args);
    const exit = await this.waitExit(proc, timeoutMs);
    if (exit.code !== 0) throw new Error(`${name} exited ${exitText(exit)}: ${proc.stderr()}`);
    return proc;
  }

  /** The process's exit, or an error (and a SIGKILL) after `timeoutMs`. */
  async waitExit(proc: CliProcess, timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        proc.child.kill('SIGKILL');
        reject(new Error(`${proc.name} did not exit within ${timeoutMs} ms: ${proc.stderr()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([proc.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for a line of stderr matching `pattern` (e.g. the address a server listens on). */
  async waitForStderr(proc: CliProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(proc.stderr());
      if (found) return found;
      if (!this.#running.has(proc)) throw new Error(`${proc.name} exited early: ${proc.stderr()}`);
      if (Date.now() > deadline) throw new Error(`${proc.name} printed no ${pattern} in ${timeoutMs} ms`);
      await delay(50);
    }
  }

  /** SIGKILLs whatever still runs (a failed test must not leave workers behind). */
  async killAll(): Promise<void> {
    const left = [...this.#running];
    for (const proc of left) proc.child.kill('SIGKILL');
    await Promise.all(left.map((proc) => proc.exited.catch(() => undefined)));
  }
}

export function exitText(exit: Exit): string {
  return exit.signal ? `on ${exit.signal}` : `with code ${exit.code}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` every 250 ms until it holds; fails at `deadline` with `progress()` saying how far it got. */
export async function waitFor(
  done: () => boolean | Promise<boolean>,
  deadline: number,
  progress: () => string,
): Promise<void> {
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${progress()}`);
    await delay(250);
  }
}

/** Sends SIGINT (Ctrl-C) and waits for the process to exit: 30 s at most, then SIGKILL and an error. */
export async function interrupt(child: ChildProcess): Promise<void> {
  const exited = new Promise<unknown>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the bench did not stop within 30 s of SIGINT'));
    }, 30_000);
  });
  await Promise.race([exited, late]).finally(() => clearTimeout(timer));
}
