/**
 * A worker's share of the due sources (daemon.ts): what it claims, holds, renews and gives back.
 *
 * A lease must cover a source from its claim to its commit, or another worker claims it when it runs out and
 * fetches it a second time. So a worker holds no more than it can start within one lease at worst — its
 * fetch slots, `perHost` of them per host, each busy for up to the fetch timeout — passing over the hosts it
 * holds that many sources of; it renews the leases of every source it holds, queued or in flight, three times
 * a lease; and it gives back at once what it will not fetch (over a host's share, or left when it stops).
 *
 * Claims come as pipelines need them — when one is free and no held source can start — so a slow host's
 * queue never keeps the worker from other hosts' work. A claim the database refuses (it is down, a
 * connection dropped) is logged and retried with back-off.
 */
import { defaultFetchPolicy, type Limiter } from '../fetch/index.js';
import { retryDelayMs } from '../schedule/index.js';
import { pollHost, type Source, type SourceId } from '../store/index.js';
import { HostQueues } from './host-queues.js';
import type { IngestDeps } from './refresh-source.js';

export interface ClaimOptions {
  /** Names this process in leases. */
  workerId: string;
  leaseSeconds: number;
  /** How long to wait before asking again when nothing is due (ms). */
  idleMs: number;
  /** Stops handing out sources. */
  signal: AbortSignal;
  /** Called when a claim finds nothing due and the worker holds nothing: its pass is over. */
  onIdle: () => void;
}

/** Sources claimed at once, per fetch slot: few queries, and a share that other workers can still get at. */
const CLAIM_PER_SLOT = 4;

/** What a worker's claims came to since it was last asked: logged with each pass (daemon.ts), so an operator
 * (and bench:scale) sees how many queries a pass took and how much was given back. */
export interface ClaimCounts {
  /** Claim queries that found sources due (not counted: those that found none, as an idle worker's do). */
  claims: number;
  /** Sources those claims took and kept. */
  claimed: number;
  /** Sources claimed over a host's share, given back at once. */
  givenBack: number;
}

export class Claims {
  readonly #deps: IngestDeps;
  readonly #opts: ClaimOptions;
  readonly #queues: HostQueues;
  /** Every source claimed and not yet committed: queued or in flight. */
  readonly #held = new Map<SourceId, string>();
  readonly #heldPerHost = new Map<string, number>();
  readonly #hostShare: number;
  readonly #share: number;
  readonly #claimSize: number;
  #claiming = false;
  /** No claim before this time (ms): nothing was due, or the database failed. */
  #claimAfter = 0;
  #claimTimer?: NodeJS.Timeout;
  /** The last claim found nothing this worker could take while it held sources: the next commit may free a
   * host's share, or other workers may have given some back. */
  #claimOnDone = false;
  #failures = 0;
  #counts: ClaimCounts = { claims: 0, claimed: 0, givenBack: 0 };
  readonly #renewTimer: NodeJS.Timeout;
  #renewing = false;

  constructor(deps: IngestDeps, limiter: Limiter, opts: ClaimOptions) {
    this.#deps = deps;
    this.#opts = opts;
    this.#queues = new HostQueues(limiter);
    const leaseMs = opts.leaseSeconds * 1000;
    // How many fetches one slot surely starts within a lease: one per fetch timeout, at worst.
    const rounds = Math.max(
      1,
      Math.floor(leaseMs / (deps.fetchPolicy.timeoutMs ?? defaultFetchPolicy.timeoutMs)),
    );
    this.#hostShare = limiter.perHost * rounds;
    this.#share = limiter.global * rounds;
    this.#claimSize = limiter.global * CLAIM_PER_SLOT;
    opts.signal.addEventListener('abort', () => this.#queues.nudge(), { once: true });
    this.#renewTimer = setInterval(() => void this.#renew(), leaseMs / 3);
    // Renewal never keeps a stopping worker alive: claims and fetches do while there is work.
    this.#renewTimer.unref();
  }

  /** The next held source whose fetch can start at once, claiming more when none can; undefined once
   * stopped. The fetch must start before anything else is awaited (HostQueues.take). */
  async next(): Promise<Source | undefined> {
    for (;;) {
      if (this.#opts.signal.aborted) return undefined;
      const source = this.#queues.take();
      if (source) return source;
      if (this.#mayClaim()) await this.#claim();
      else await this.#queues.changed();
    }
  }

  /** A held source was committed (which ended its lease) or failed. */
  done(source: Source): void {
    const host = this.#held.get(source.id);
    if (host === undefined) return;
    this.#held.delete(source.id);
    const count = this.#heldPerHost.get(host)! - 1;
    if (count === 0) this.#heldPerHost.delete(host);
    else this.#heldPerHost.set(host, count);
    if (this.#claimOnDone) {
      this.#claimOnDone = false;
      this.#claimAfter = 0;
    }
    this.#queues.nudge();
  }

  /** The counts since the last call, which starts them again from zero. */
  takeCounts(): ClaimCounts {
    const counts = this.#counts;
    this.#counts = { claims: 0, claimed: 0, givenBack: 0 };
    return counts;
  }

  /** Stops renewing, and gives back the sources that were claimed and not started. */
  async close(): Promise<void> {
    clearInterval(this.#renewTimer);
    clearTimeout(this.#claimTimer);
    const unstarted = this.#queues.drain().map((s) => s.id);
    try {
      await this.#deps.store.releaseLeases(unstarted, this.#opts.workerId);
    } catch (e) {
      // They come free when their leases run out.
      this.#deps.log.warn(
        { error: (e as Error).message, sources: unstarted.length },
        'could not give back claims in the database',
      );
    }
  }

  #mayClaim(): boolean {
    return !this.#claiming && this.#held.size < this.#share && Date.now() >= this.#claimAfter;
  }

  async #claim(): Promise<void> {
    this.#claiming = true;
    try {
      const busy = [...this.#heldPerHost].filter(([, n]) => n >= this.#hostShare).map(([host]) => host);
      const limit = Math.min(this.#claimSize, this.#share - this.#held.size);
      const { store, log } = this.#deps;
      let claimed: Source[];
      try {
        claimed = await store.claimDueSources(
          this.#deps.now(),
          limit,
          this.#opts.workerId,
          this.#opts.leaseSeconds,
          busy,
        );
        this.#failures = 0;
      } catch (e) {
        const waitMs = retryDelayMs(++this.#failures, this.#deps.random);
        log.warn(
          { error: (e as Error).message, retryInMs: waitMs },
          'could not claim sources from the database; retrying',
        );
        this.#wait(waitMs);
        return;
      }
      const kept: Source[] = [];
      const over: SourceId[] = [];
      for (const source of claimed) {
        const host = pollHost(source);
        const count = this.#heldPerHost.get(host) ?? 0;
        if (count >= this.#hostShare) {
          over.push(source.id);
          continue;
        }
        this.#heldPerHost.set(host, count + 1);
        this.#held.set(source.id, host);
        kept.push(source);
      }
      if (claimed.length > 0) this.#counts.claims++;
      this.#counts.claimed += kept.length;
      this.#counts.givenBack += over.length;
      // Not given back (the database failed again), they come free when their leases run out.
      if (over.length > 0) await store.releaseLeases(over, this.#opts.workerId).catch(() => {});
      if (kept.length > 0) {
        this.#claimAfter = 0;
        this.#queues.add(kept);
        return;
      }
      // Nothing due that this worker may take: ask again after the next commit, or in a while.
      this.#claimOnDone = this.#held.size > 0;
      this.#wait(this.#opts.idleMs);
      if (this.#held.size === 0) this.#opts.onIdle();
    } finally {
      this.#claiming = false;
      this.#queues.nudge();
    }
  }

  /** No claim for `ms`; whoever waits is woken then. The timer, not the clock, ends the wait: Node's timers
   * may fire a millisecond before `Date.now()` reaches their time, and a waiter that then found the wait not
   * over would sleep with no timer left to wake it (an idle SQLite worker, holding nothing else, exited). */
  #wait(ms: number): void {
    this.#claimAfter = Date.now() + ms;
    clearTimeout(this.#claimTimer);
    this.#claimTimer = setTimeout(() => {
      this.#claimAfter = 0;
      this.#queues.nudge();
    }, ms);
  }

  /** Extends the leases of every held source; the queued ones whose lease was lost are dropped. */
  async #renew(): Promise<void> {
    if (this.#renewing || this.#held.size === 0) return;
    this.#renewing = true;
    const ids = [...this.#held.keys()];
    try {
      const kept = new Set(
        await this.#deps.store.renewLeases(
          ids,
          this.#opts.workerId,
          this.#deps.now(),
          this.#opts.leaseSeconds,
        ),
      );
      // Committed meanwhile (the commit ended the lease), or taken by another worker after running out.
      const lost = new Set(ids.filter((id) => !kept.has(id) && this.#held.has(id)));
      const dropped = this.#queues.remove(lost);
      for (const source of dropped) this.done(source);
      if (dropped.length > 0)
        this.#deps.log.warn(
          { sources: dropped.length },
          'leases ran out before these claimed sources started; left to others',
        );
    } catch (e) {
      this.#deps.log.warn(
        { error: (e as Error).message },
        'could not renew leases in the database; retrying',
      );
    } finally {
      this.#renewing = false;
    }
  }
}
