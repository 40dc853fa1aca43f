/**
 * Concurrency limits for outgoing fetches: at most `global` at once, and at most `perHost` to any
 * one host, so a planet with hundreds of feeds on one platform does not hammer it.
 * A waiter takes both slots at once, first-come-first-served among those whose host has room, so
 * nobody holds a global slot while queueing for a busy host.
 */
interface Waiter {
  host: string;
  start: () => void;
}

export class Limiter {
  private running = 0;
  private readonly perHostRunning = new Map<string, number>();
  private readonly queue: Waiter[] = [];

  constructor(
    readonly global: number,
    readonly perHost: number,
  ) {
    if (!(global >= 1 && perHost >= 1))
      throw new TypeError(`limiter needs limits >= 1, got ${global}/${perHost}`);
  }

  /** Runs `task` once a slot for `host` is free; rejects with the signal's reason if aborted while queued. */
  async run<T>(host: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(host, signal);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }

  private hasRoom(host: string): boolean {
    return this.running < this.global && (this.perHostRunning.get(host) ?? 0) < this.perHost;
  }

  private take(host: string): void {
    this.running++;
    this.perHostRunning.set(host, (this.perHostRunning.get(host) ?? 0) + 1);
  }

  private acquire(host: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.hasRoom(host)) {
      this.take(host);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        host,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(host: string): void {
    this.running--;
    const left = this.perHostRunning.get(host)! - 1;
    if (left === 0) this.perHostRunning.delete(host);
    else this.perHostRunning.set(host, left);
    for (let i = 0; i < this.queue.length && this.running < this.global; ) {
      const waiter = this.queue[i]!;
      if (!this.hasRoom(waiter.host)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.take(waiter.host);
      waiter.start();
    }
  }
}

/** The limiter every fetchFeed call shares within a process. */
export const sharedLimiter = new Limiter(16, 2);
