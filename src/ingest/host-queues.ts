/**
 * Sources waiting for their fetch, queued per host, handed out only when their host can be fetched at once.
 * A pipeline that took the next source in line would sit in the limiter's queue behind a slow host (every
 * pipeline would, with enough of that host's sources in a row) while other hosts' sources waited behind it.
 */
import type { Limiter } from '../fetch/index.js';
import { pollHost, type Source, type SourceId } from '../store/index.js';

export class HostQueues {
  readonly #limiter: Limiter;
  /** Queues by host (the limiter's key); a host is deleted when its queue empties. */
  readonly #queues = new Map<string, Source[]>();
  #size = 0;
  #changed?: { promise: Promise<void>; resolve: () => void };
  #awaitingRelease = false;

  constructor(limiter: Limiter) {
    this.#limiter = limiter;
  }

  get size(): number {
    return this.#size;
  }

  add(sources: Iterable<Source>): void {
    for (const source of sources) {
      const host = pollHost(source);
      const queue = this.#queues.get(host);
      if (queue) queue.push(source);
      else this.#queues.set(host, [source]);
      this.#size++;
    }
    this.nudge();
  }

  /** Drops these sources wherever they wait; returns those that were waiting. */
  remove(ids: ReadonlySet<SourceId>): Source[] {
    const removed: Source[] = [];
    for (const [host, queue] of this.#queues) {
      removed.push(...queue.filter((s) => ids.has(s.id)));
      const kept = queue.filter((s) => !ids.has(s.id));
      if (kept.length === 0) this.#queues.delete(host);
      else this.#queues.set(host, kept);
    }
    this.#size -= removed.length;
    return removed;
  }

  /** Every waiting source, emptying the queues. */
  drain(): Source[] {
    const all = [...this.#queues.values()].flat();
    this.#queues.clear();
    this.#size = 0;
    return all;
  }

  /**
   * The next source whose host has a free fetch slot now, hosts taking turns; undefined when none has. The
   * caller must start its fetch before awaiting anything, so that the slot seen free is the one it takes
   * (were it taken meanwhile, the fetch would merely queue in the limiter).
   */
  take(): Source | undefined {
    for (const [host, queue] of this.#queues) {
      if (this.#limiter.full) return undefined;
      if (!this.#limiter.hasRoom(host)) continue;
      const source = queue.shift()!;
      this.#queues.delete(host);
      if (queue.length > 0) this.#queues.set(host, queue);
      this.#size--;
      return source;
    }
    return undefined;
  }

  /** Resolves when `take` may find something it did not: a fetch slot freed, sources added, or a `nudge`. */
  changed(): Promise<void> {
    if (!this.#changed) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#changed = { promise, resolve };
    }
    if (!this.#awaitingRelease) {
      this.#awaitingRelease = true;
      void this.#limiter.released().then(() => {
        this.#awaitingRelease = false;
        this.nudge();
      });
    }
    return this.#changed.promise;
  }

  /** Wakes whoever waits on `changed`. */
  nudge(): void {
    const changed = this.#changed;
    this.#changed = undefined;
    changed?.resolve();
  }
}
