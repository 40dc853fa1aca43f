/**
 * Where fetched feeds are read (parsed, sanitized, made rows: read-feed.ts): on worker threads (ParsePool) or
 * on the calling thread (inlineReader).
 *
 * Reading is most of a cold refresh's CPU. On the main thread it would take turns with fetching and
 * committing; on a pool of threads it runs beside them, each thread reading one feed at a time, on every core.
 * A thread also bounds the damage one feed can do: a parse that overruns its deadline is stopped (the thread
 * is replaced) and fails that source alone, where on the main thread it would stall them all.
 *
 * A thread costs its own V8 heap and module graph: 8–10 MiB and 0.15 s of CPU to start, and on a cold pass of
 * 300 feeds on 2 cores it added 47 MiB of peak RSS and 7 % of CPU time for no gain in wall time (the main
 * thread's fetching and committing is a core's work already). So threads start only when a feed is handed to
 * the pool and every running thread is busy, and the default is none where there is no spare core.
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

/**
 * `fetch.parse_threads` when unset. A one-shot `refresh` leaves a core to its main thread, so on 2 cores it
 * reads on the main thread: threads there cost memory and CPU and won no time. The daemons (`run`, `worker`,
 * `serve`) keep one per CPU: a page must never wait behind a large feed, and in the scale test three workers
 * sharing 2 loaded cores with other work fell behind without theirs.
 */
export function defaultParseThreads(oneShot: boolean, cores = availableParallelism()): number {
  if (!oneShot) return cores;
  return cores > 2 ? cores - 1 : 0;
}

/**
 * Feeds handed to one thread ahead of the one it is reading. The main thread is often busy for tens of ms
 * (a group commit, a burst of responses); a thread that had to wait for it to hand over each next feed sat
 * idle half the time.
 */
const QUEUED_PER_THREAD = 4;

interface Task {
  request: ReadRequest;
  resolve: (result: ReadResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Sent to the thread, in order; the first is the one it is reading (or about to). */
  tasks: Task[];
  /** The first task's deadline. */
  timer?: NodeJS.Timeout;
  /** The thread has loaded its modules: deadlines run only from then on, so a slow start on a loaded
   * machine never counts as a runaway parse. */
  ready: boolean;
}

type Reply = { result: ReadResult } | { error: ReadError } | { ready: true };

export class ParsePool implements FeedReader {
  /** Threads running, started on demand up to #maxThreads. */
  readonly #slots: Slot[] = [];
  readonly #maxThreads: number;
  /** Requests no thread has room for yet; as many as the callers have in flight (refreshAll's concurrency
   * bounds them). */
  readonly #queue: Task[] = [];
  readonly #deadlineMs: number;
  #closed = false;

  constructor(threads: number, options: { deadlineMs?: number } = {}) {
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`a parse pool needs 1 or more threads, not ${threads}`);
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_PARSE_DEADLINE_MS;
    this.#maxThreads = threads;
  }

  /** How many threads are running: none until a feed is read, never more than the pool was given. */
  get threads(): number {
    return this.#slots.length;
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
        for (const task of slot.tasks.splice(0)) task.reject(closed);
        return slot.worker.terminate();
      }),
    );
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./parse-worker.js', import.meta.url));
    const slot: Slot = { worker, tasks: [], ready: false };
    worker.on('message', (reply: Reply) => this.#settle(slot, reply));
    worker.on('error', (error) => this.#replace(slot, `the parser thread failed: ${error.message}`));
    worker.on('exit', (code) => this.#replace(slot, `the parser thread exited (code ${code})`));
    // An idle thread never keeps the process alive; one at work does (see #dispatch). After the listeners:
    // listening for messages refs the thread's port again.
    worker.unref();
    return slot;
  }

  /** Hands waiting requests to the least busy threads, up to QUEUED_PER_THREAD each; starts another thread
   * when every running one has work and the pool may grow. */
  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.reduce<Slot | undefined>(
        (a, b) => (a === undefined || b.tasks.length < a.tasks.length ? b : a),
        undefined,
      );
      if ((slot === undefined || slot.tasks.length > 0) && this.#slots.length < this.#maxThreads) {
        slot = this.#spawn();
        this.#slots.push(slot);
      }
      if (!slot) return;
      if (slot.tasks.length >= QUEUED_PER_THREAD) return;
      const task = this.#queue.shift()!;
      slot.tasks.push(task);
      if (slot.tasks.length === 1) {
        slot.worker.ref();
        if (slot.ready) this.#startDeadline(slot);
      }
      slot.worker.postMessage(task.request);
    }
  }

  /** Times the thread's current feed. Started when the previous reply arrives, which may be a little after the
   * thread began it: the deadline is a guard against a runaway parse, not a stopwatch. */
  #startDeadline(slot: Slot): void {
    slot.timer = setTimeout(
      () => this.#replace(slot, `parsing took longer than ${this.#deadlineMs / 1000} s and was stopped`),
      this.#deadlineMs,
    );
  }

  #settle(slot: Slot, reply: Reply): void {
    if ('ready' in reply) {
      slot.ready = true;
      if (slot.tasks.length > 0) this.#startDeadline(slot);
      return;
    }
    clearTimeout(slot.timer);
    const task = slot.tasks.shift();
    if (slot.tasks.length > 0) this.#startDeadline(slot);
    else slot.worker.unref();
    if (task) {
      if ('result' in reply) task.resolve(reply.result);
      else task.reject(fromReadError(reply.error));
    }
    this.#dispatch();
  }

  /**
   * A thread that failed, exited or overran: the feed it was reading fails with `reason`, a new thread takes
   * its place, and the feeds queued behind it go back to the queue (they did nothing wrong).
   */
  #replace(slot: Slot, reason: string): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1 || this.#closed) return;
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    // A stray late 'error' from the old thread must not be an uncaught exception.
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    const [current, ...queued] = slot.tasks;
    current?.reject(new Error(reason));
    this.#queue.unshift(...queued);
    this.#slots.splice(index, 1); // #dispatch starts another if there is work for it
    this.#dispatch();
  }
}
