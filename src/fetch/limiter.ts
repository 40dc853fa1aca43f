/**
 * Concurrency limits for outgoing fetches: at most `global` at once, and at most `perHost` to any one host
 * (the URL's hostname), so a planet with hundreds of feeds on one platform does not hammer it.
 *
 * Waiters queue per host, and a global slot is taken only once the waiter's host has room: nobody holds a
 * slot while a busy host keeps them waiting, and a release looks at the hosts that have waiters, not at
 * every waiter. Hosts with room take turns.
 */
interface Waiter {
  host: string;
  signal?: AbortSignal;
  start: () => void;
  reject: (reason: unknown) => void;
}

export class Limiter {
  #running = 0;
  readonly #perHostRunning = new Map<string, number>();
  /** Waiters by host; a host is deleted when its queue empties, and goes to the back when one of its starts. */
  readonly #waiting = new Map<string, Waiter[]>();
  /** Waiters by the signal that may abort them: one abort listener per signal, however many wait under it
   * (a process-wide signal shared by every fetch would otherwise collect one listener per queued fetch). */
  readonly #bySignal = new Map<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>();
  #onRelease: (() => void)[] = [];

  constructor(
    readonly global: number,
    readonly perHost: number,
  ) {
    if (!(global >= 1 && perHost >= 1))
      throw new TypeError(`limiter needs limits >= 1, got ${global}/${perHost}`);
  }

  /** Runs `task` once a slot for `host` is free; rejects with the signal's reason if aborted while queued. */
  async run<T>(host: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(host, signal);
    try {
      return await task();
    } finally {
      this.#release(host);
    }
  }

  /** Whether a fetch to `host` would start at once. */
  hasRoom(host: string): boolean {
    return this.#running < this.global && (this.#perHostRunning.get(host) ?? 0) < this.perHost;
  }

  /** Whether every slot is taken. */
  get full(): boolean {
    return this.#running >= this.global;
  }

  /** Resolves when the next slot is released. */
  released(): Promise<void> {
    return new Promise((resolve) => this.#onRelease.push(resolve));
  }

  #take(host: string): void {
    this.#running++;
    this.#perHostRunning.set(host, (this.#perHostRunning.get(host) ?? 0) + 1);
  }

  #acquire(host: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.hasRoom(host)) {
      this.#take(host);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { host, signal, start: resolve, reject };
      const queue = this.#waiting.get(host);
      if (queue) queue.push(waiter);
      else this.#waiting.set(host, [waiter]);
      if (signal) this.#watch(signal, waiter);
    });
  }

  #watch(signal: AbortSignal, waiter: Waiter): void {
    let watched = this.#bySignal.get(signal);
    if (!watched) {
      const waiters = new Set<Waiter>();
      const onAbort = () => {
        this.#bySignal.delete(signal);
        for (const w of waiters) {
          this.#dequeue(w);
          w.reject(signal.reason);
        }
      };
      watched = { waiters, onAbort };
      this.#bySignal.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.waiters.add(waiter);
  }

  #unwatch(waiter: Waiter): void {
    if (!waiter.signal) return;
    const watched = this.#bySignal.get(waiter.signal);
    if (!watched) return;
    watched.waiters.delete(waiter);
    if (watched.waiters.size === 0) {
      this.#bySignal.delete(waiter.signal);
      waiter.signal.removeEventListener('abort', watched.onAbort);
    }
  }

  #dequeue(waiter: Waiter): void {
    const queue = this.#waiting.get(waiter.host);
    if (!queue) return;
    queue.splice(queue.indexOf(waiter), 1);
    if (queue.length === 0) this.#waiting.delete(waiter.host);
  }

  #release(host: string): void {
    this.#running--;
    const left = this.#perHostRunning.get(host)! - 1;
    if (left === 0) this.#perHostRunning.delete(host);
    else this.#perHostRunning.set(host, left);
    for (const [waitingHost, queue] of this.#waiting) {
      if (this.#running >= this.global) break;
      if (!this.hasRoom(waitingHost)) continue;
      const waiter = queue.shift()!;
      // To the back of the line, behind the hosts that have waited since.
      this.#waiting.delete(waitingHost);
      if (queue.length > 0) this.#waiting.set(waitingHost, queue);
      this.#unwatch(waiter);
      this.#take(waitingHost);
      waiter.start();
    }
    const listeners = this.#onRelease;
    this.#onRelease = [];
    for (const listener of listeners) listener();
  }
}

/** The limiter every fetchFeed call shares within a process. */
export const sharedLimiter = new Limiter(16, 2);
