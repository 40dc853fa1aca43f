/**
 * Rendered responses kept in memory, so the river is rendered once per change instead of once per request.
 *
 * The store has no cheap "has anything changed" query yet (counting 100,000 rows per request would cost
 * more than serving the cached page), so freshness is a time-to-live, which may depend on how long the page
 * took to render (slow pages are kept longer), but never longer than the page's own `max-age`: replicas behind
 * one proxy then show states at most that far apart. A stale copy is rendered again by the next request while
 * concurrent requests keep getting the previous copy (one render at a time per page, never a stampede).
 * Bounded in entries, least recently used first out.
 */
import { PreparedResponse } from './prepared.js';
import type { Resource } from './site.js';

interface Slot {
  value?: PreparedResponse;
  renderedAt: number;
  freshForMs: number;
  rendering?: Promise<PreparedResponse>;
}

/** How long a page that took `renderMs` to render is served before it is rendered again. */
export type TimeToLive = (renderMs: number) => number;

export class ResponseCache {
  readonly #slots = new Map<string, Slot>();
  readonly #ttl: TimeToLive;
  readonly #maxEntries: number;
  readonly #clock: () => number;

  constructor(options: { ttl: TimeToLive; maxEntries: number; clock?: () => number }) {
    this.#ttl = options.ttl;
    this.#maxEntries = options.maxEntries;
    this.#clock = options.clock ?? Date.now;
  }

  get(key: string, render: () => Promise<Resource>): Promise<PreparedResponse> {
    const slot = this.#slots.get(key);
    if (slot) {
      // Most recently used last: re-inserting keeps Map order as the LRU order.
      this.#slots.delete(key);
      this.#slots.set(key, slot);
      if (slot.value) {
        if (slot.rendering || this.#clock() - slot.renderedAt < slot.freshForMs) {
          return Promise.resolve(slot.value);
        }
        return this.#render(key, slot, render);
      }
      if (slot.rendering) return slot.rendering;
    }
    const fresh: Slot = { renderedAt: 0, freshForMs: 0 };
    this.#slots.set(key, fresh);
    for (const oldest of this.#slots.keys()) {
      if (this.#slots.size <= this.#maxEntries) break;
      this.#slots.delete(oldest);
    }
    return this.#render(key, fresh, render);
  }

  #render(key: string, slot: Slot, render: () => Promise<Resource>): Promise<PreparedResponse> {
    const startedAt = this.#clock();
    slot.rendering = render().then(
      (resource) => {
        if (resource.cacheControl === 'no-store') {
          // Of this moment only (a search refused under load): served to its requests, never kept.
          slot.rendering = undefined;
          if (!slot.value && this.#slots.get(key) === slot) this.#slots.delete(key);
          return new PreparedResponse(resource);
        }
        slot.value = slot.value?.sameAs(resource) ? slot.value : new PreparedResponse(resource);
        slot.renderedAt = startedAt;
        slot.freshForMs = Math.min(this.#ttl(this.#clock() - startedAt), maxAgeMs(resource.cacheControl));
        slot.rendering = undefined;
        return slot.value;
      },
      (error: unknown) => {
        slot.rendering = undefined;
        if (!slot.value && this.#slots.get(key) === slot) this.#slots.delete(key);
        throw error;
      },
    );
    return slot.rendering;
  }
}

/** The `max-age` of a Cache-Control value in ms; 0 for none (`no-cache`, `no-store`). */
function maxAgeMs(cacheControl: string): number {
  const match = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl);
  return match ? Number(match[1]) * 1000 : 0;
}
