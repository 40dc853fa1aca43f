/**
 * Images for the static export. A static site has no image proxy, so the images the proxy would serve
 * (`site.image_proxy`) are downloaded into `images/` instead, fetched as the proxy fetches them (the address
 * guard on every hop, raster images only, 10 MB each), and the pages point at the copies. The whole export
 * holds at most MAX_IMAGES images and MAX_TOTAL_BYTES; an image past those bounds, or one that fails, stays
 * at its own address.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageUrlMap } from '../content/image-urls.js';
import type { FetchInternals } from '../fetch/fetch-feed.js';
import { fetchImage, IMAGE_EXTENSIONS } from '../fetch/fetch-image.js';
import { type FetchPolicy, Limiter } from '../fetch/index.js';
import { DEFAULT_IMAGE_PROXY_MODE, type ImageProxyMode, routedImage } from '../publish/image-routing.js';
import { dateLabels, postView } from '../publish/index.js';
import type { StoredEntry } from '../store/index.js';
import { exportRoot } from './links.js';

export interface ExportImageOptions {
  /** Which images are copied: the ones the live site would proxy (`http` by default). */
  mode?: ImageProxyMode;
  fetchPolicy?: Partial<FetchPolicy>;
  /** Bounds of the whole export: MAX_IMAGES images, MAX_TOTAL_BYTES bytes by default. */
  maxImages?: number;
  maxBytes?: number;
  /** Test seam (fetch-feed.ts): origins reached without the address guard. */
  fetchInternals?: FetchInternals;
}

const MAX_IMAGES = 2000;
const MAX_TOTAL_BYTES = 512 * 1024 * 1024;
const DIR = 'images';
const NO_SOURCES = new Map();
const UTC = dateLabels('UTC');

export class ExportImages {
  /** Image URL → its file under the export root, or null when it was not copied. */
  readonly #files = new Map<string, string | null>();
  readonly #limiter = new Limiter(8, 4);
  /** Downloads started, and bytes kept: what the bounds count. */
  #started = 0;
  #bytes = 0;
  copied = 0;
  /** Images left at their own address: failed, refused, or over the export's bounds. */
  notCopied = 0;
  readonly #mode: ImageProxyMode;

  constructor(
    private readonly outDir: string,
    private readonly options: ExportImageOptions,
  ) {
    this.#mode = options.mode ?? DEFAULT_IMAGE_PROXY_MODE;
  }

  /** Copies the images these entries' views show, before a page showing them is written. */
  async copyFor(entries: readonly StoredEntry[]): Promise<void> {
    const shown: string[] = [];
    for (const entry of entries) {
      // Exactly the images a page shows of this post: its view, with every image URL noted.
      postView(entry, NO_SOURCES, UTC, undefined, (url) => {
        shown.push(url);
        return url;
      });
    }
    await this.copyImages(shown);
  }

  /** Copies the images of these URLs that the mode routes (faces, a post's images) and are not yet copied. */
  async copyImages(urls: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const url of urls) {
      const routed = routedImage(url, this.#mode);
      if (routed && !this.#files.has(routed.href)) wanted.add(routed.href);
    }
    await Promise.all([...wanted].map((url) => this.#copy(url)));
  }

  /** Where a page at `filePath` (relative to the export root) loads each image from. */
  mapFor(filePath: string): ImageUrlMap {
    const root = exportRoot(filePath);
    return (raw) => {
      const url = routedImage(raw, this.#mode);
      const file = url && this.#files.get(url.href);
      return file ? root + file : raw;
    };
  }

  async #copy(url: string): Promise<void> {
    this.#files.set(url, null);
    const { maxImages = MAX_IMAGES, maxBytes = MAX_TOTAL_BYTES } = this.options;
    if (this.#started >= maxImages || this.#bytes >= maxBytes) {
      this.notCopied++;
      return;
    }
    this.#started++;
    const outcome = await fetchImage(
      url,
      { policy: this.options.fetchPolicy ?? {}, limiter: this.#limiter },
      this.options.fetchInternals ?? {},
    );
    if (outcome.kind !== 'ok' || this.#bytes + outcome.bytes.length > maxBytes) {
      this.notCopied++;
      return;
    }
    this.#bytes += outcome.bytes.length;
    const name = createHash('sha256').update(url).digest('hex').slice(0, 32);
    const file = `${DIR}/${name}.${IMAGE_EXTENSIONS[outcome.contentType]}`;
    await mkdir(join(this.outDir, DIR), { recursive: true });
    await writeFile(join(this.outDir, file), outcome.bytes);
    this.copied++;
    this.#files.set(url, file);
  }
}
