/**
 * A refresh's progress on a terminal: a bar, with log lines printed above it rather than through it.
 * On a terminal, logs default to `error` (the final summary says what failed); TRIBUTARY_LOG_LEVEL, when
 * set, is honoured there too. Without a bar, logs are what they always are: JSON lines on stderr.
 */
import type { SingleBar } from 'cli-progress';
import type { Logger } from 'pino';
import { logger } from './app.js';

export interface Progress {
  log: Logger;
  start(total: number): void;
  update(done: number, name: string): void;
  /** Draws the bar at its end; log lines written from now on go straight to stderr. */
  stop(): void;
}

/**
 * `unit` names what is counted ("sources"); `quietLevel` is the log level without a bar, unless set.
 * cli-progress is imported only for a bar: off a terminal (cron, scripts) it would be 17 modules for nothing.
 */
export async function progress(show: boolean, unit: string, quietLevel?: string): Promise<Progress> {
  const level = process.env.TRIBUTARY_LOG_LEVEL;
  if (!show) return { log: logger(level ?? quietLevel), start() {}, update() {}, stop() {} };
  const { MultiBar } = await import('cli-progress');
  const bars = new MultiBar({ format: `refresh [{bar}] {value}/{total} ${unit}  {name}`, hideCursor: true });
  let bar: SingleBar | undefined;
  const log = logger(level ?? 'error', {
    write: (line: string) => (bar ? bars.log(line) : process.stderr.write(line)),
  });
  return {
    log,
    start(total) {
      bar = bars.create(total, 0, { name: '' });
    },
    update(done, name) {
      bar?.update(done, { name });
    },
    stop() {
      if (!bar) return;
      bars.update(); // prints the lines logged since the last redraw: stop() alone drops them
      bars.stop();
      bar = undefined;
    },
  };
}
