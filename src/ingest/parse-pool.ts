/**
 * Where fetched feeds are parsed and sanitized: on worker threads (ParsePool) or on the calling thread
 * (inlineReader).
 *
 * Parsing and sanitizing are two thirds of a cold refresh's CPU. On the main thread they would take turns
 * with fetching and committing; on a pool of threads they run beside them, one feed per thread at a time, on
 * every core. A thread also bounds the damage one feed can do: a parse that overruns its deadline is stopped
 * (the thread is replaced) and fails that source alone, where on the main thread it would stall them all.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fromReadError, type ReadError, type ReadRequest, type ReadResult, readFeed } from './read-feed.js';

export interface FeedReader {
  read(request: ReadRequest): Promise<ReadResult>;
  close(): Promise<void>;
}

/** Reads on the calling thread: tests, one-off commands, `parse_threads: 0`. */
export const inlineReader: FeedReader = {
  read: async (request) => readFeed(request),
  close: async () => {},
};

/** A feed of the 16 MiB size cap parses in well under a second; a minute means a parser gone wrong. */
export const DEFAULT_PARSE_DEADLINE_MS = 60_000;

export function defaultParseThreads(): number {
  return availableParallelism();
}

interface Task {
  request: ReadRequest;
  resolve: (result: ReadResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  timer?: NodeJS.Timeout;
}

type Reply = { result: ReadResult } | { error: ReadError };

export class ParsePool implements FeedReader {
  readonly #slots: Slot[];
  /** Waiting requests; as many as the callers have in flight (refreshAll's concurrency bounds them). */
  readonly #queue: Task[] = [];
  readonly #deadlineMs: number;
  #closed = false;

  constructor(threads: number, options: { deadlineMs?: number } = {}) {
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`a parse pool needs 1 or more threads, not ${threads}`);
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_PARSE_DEADLINE_MS;
    this.#slots = Array.from({ length: threads }, () => this.#spawn());
  }

  read(request: ReadRequest): Promise<ReadResult> {
    if (this.#closed) return Promise.reject(new Error('the parse pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const closed = new Error('the parse pool is closed');
    for (const task of this.#queue.splice(0)) task.reject(closed);
    await Promise.all(
      this.#slots.map((slot) => {
        clearTimeout(slot.timer);
        slot.task?.reject(closed);
        slot.task = undefined;
        return slot.worker.terminate();
      }),
    );
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./parse-worker.js', import.meta.url));
    const slot: Slot = { worker };
    worker.on('message', (reply: Reply) => this.#settle(slot, reply));
    worker.on('error', (error) => this.#replace(slot, `the parser thread failed: ${error.message}`));
    worker.on('exit', (code) => this.#replace(slot, `the parser thread exited (code ${code})`));
    // An idle thread never keeps the process alive; one at work does (see #dispatch). After the listeners:
    // listening for messages refs the thread's port again.
    worker.unref();
    return slot;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.task) continue;
      const task = this.#queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.timer = setTimeout(
        () => this.#replace(slot, `parsing took longer than ${this.#deadlineMs / 1000} s and was stopped`),
        this.#deadlineMs,
      );
      slot.worker.postMessage(task.request);
    }
  }

  #settle(slot: Slot, reply: Reply): void {
    const task = slot.task;
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.worker.unref();
    if (task) {
      if ('result' in reply) task.resolve(reply.result);
      else task.reject(fromReadError(reply.error));
    }
    this.#dispatch();
  }

  /** A thread that failed, exited or overran: its feed fails with `reason`, a new thread takes its place. */
  #replace(slot: Slot, reason: string): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1 || this.#closed) return;
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    // A stray late 'error' from the old thread must not be an uncaught exception.
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    slot.task?.reject(new Error(reason));
    this.#slots[index] = this.#spawn();
    this.#dispatch();
  }
}
