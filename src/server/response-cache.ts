/**
 * Rendered responses kept in memory, so the river is rendered once per change instead of once per request.
 *
 * The store has no cheap "has anything changed" query yet (counting 100,000 rows per request would cost
 * more than serving the cached page), so freshness is a short time-to-live: a copy older than `ttlMs` is
 * rendered again by the next request while concurrent requests keep getting the previous copy (one render
 * at a time per page, never a stampede). Bounded in entries, least recently used first out.
 */
import { PreparedResponse } from './prepared.js';
import type { Resource } from './site.js';

interface Slot {
  value?: PreparedResponse;
  renderedAt: number;
  rendering?: Promise<PreparedResponse>;
}

export class ResponseCache {
  readonly #slots = new Map<string, Slot>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;

  constructor(options: { ttlMs: number; maxEntries: number; clock?: () => number }) {
    this.#ttlMs = options.ttlMs;
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
        if (slot.rendering || this.#clock() - slot.renderedAt < this.#ttlMs)
          return Promise.resolve(slot.value);
        return this.#render(key, slot, render);
      }
      if (slot.rendering) return slot.rendering;
    }
    const fresh: Slot = { renderedAt: 0 };
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
        slot.value = slot.value?.sameAs(resource) ? slot.value : new PreparedResponse(resource);
        slot.renderedAt = startedAt;
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
