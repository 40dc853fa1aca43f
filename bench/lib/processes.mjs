// `tributary` child processes for the benches that run the built CLI (worker-cycle.mjs, worker-fleet.mjs),
// and what Linux's /proc says they cost: every wait bounded, and whatever still runs killed when the bench
// exits, however it exits.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** Enough of a process's stderr to explain a failure. */
const KEPT_OUTPUT = 8_192;
/** Clock ticks per second in /proc/<pid>/stat: 100 on every Linux Node runs on. */
const TICKS = 100;

/** Every spawned CLI process, so that any way out of the bench (error, signal, exit) kills what is left. */
const running = new Set();
process.once('exit', () => {
  for (const proc of running) proc.child.kill('SIGKILL');
});

/** Spawns the CLI; `onLine` (optional) sees each line of its stderr (JSON log lines). */
export function startCli(name, args, env = {}, onLine = undefined) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-KEPT_OUTPUT);
    if (!onLine) return;
    const lines = (partial + d).split('\n');
    partial = lines.pop();
    for (const line of lines) onLine(line);
  });
  const proc = { name, child, stderr: () => stderr };
  proc.exited = new Promise((resolve) => {
    const done = (code, signal) => {
      running.delete(proc);
      resolve({ code, signal });
    };
    child.once('error', (error) => done(null, `spawn error: ${error.message}`));
    child.once('exit', done);
  });
  running.add(proc);
  return proc;
}

export const isRunning = (proc) => running.has(proc);

/** The process's exit, or an error (after a SIGKILL) once `ms` have passed. */
export async function waitExit(proc, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      reject(new Error(`${proc.name} did not exit within ${ms} ms: ${proc.stderr()}`));
    }, ms);
  });
  try {
    return await Promise.race([proc.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command to its end; throws if it takes longer than `ms` or exits other than 0. */
export async function runCli(name, args, ms, env = {}) {
  const proc = startCli(name, args, env);
  const exit = await waitExit(proc, ms);
  if (exit.code !== 0) throw new Error(`${name} exited ${exitText(exit)}: ${proc.stderr()}`);
}

export const exitText = ({ code, signal }) => (signal ? `on ${signal}` : `with code ${code}`);

export async function killAll() {
  const left = [...running];
  for (const proc of left) proc.child.kill('SIGKILL');
  await Promise.all(left.map((proc) => proc.exited));
}

/** CPU seconds a process has used, all its threads (Linux /proc; undefined elsewhere or once it is gone). */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of the line, counted from the pid).
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** A process's peak resident set so far, in bytes (VmHWM; undefined without /proc). */
export function peakRss(pid) {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL's CPU spent on the connections tagged `appName` (PGAPPNAME), in seconds: sampled while they
 * run, since a pooled connection's backend, and its CPU count, goes away when the pool closes it (what it
 * spent after the last sample is lost). Undefined when the server's processes are not in this machine's /proc.
 */
export function backendCpu(admin, appName) {
  const seen = new Map();
  return {
    async sample() {
      const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
        appName,
      ]);
      for (const { pid } of rows) {
        const used = cpuSeconds(pid);
        if (used !== undefined) seen.set(pid, Math.max(used, seen.get(pid) ?? 0));
        else if (!seen.has(pid)) seen.set(pid, undefined);
      }
    },
    total: () =>
      [...seen.values()].includes(undefined) ? undefined : [...seen.values()].reduce((a, b) => a + b, 0),
  };
}
