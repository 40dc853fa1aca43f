/**
 * Faces, people and home pages as pages show them: what the config says of a source (`face:`, `person:`,
 * `homepage:`) over what its feed says of itself (the face learned at fetch, its home page).
 */
import type { ImageUrlMap } from '../content/image-urls.js';
import type { Source } from '../store/index.js';
import { sourceName } from './attribution.js';
import { httpUrl } from './urls.js';

/** Who a source belongs to, as `/people` and the planet theme name them. */
export interface PersonView {
  name: string;
  url?: string;
}

/**
 * A face as a page loads it. `face`: a URL ready for `src=`. `faceFile`: the configured face is a file in the
 * theme directory, named as written (the theme's assets serve it); until a theme serves it, `face` is the
 * feed's own, if any.
 */
export interface FaceView {
  face?: string;
  faceFile?: string;
}

type Described = Pick<Source, 'options' | 'feedFace' | 'homePageUrl'>;

/** The face of a source; image URLs routed as the page routes its images (`images`: the image proxy or the
 * export's copies), so a face over plain http loads like a post's image does, without loosening the CSP. */
export function sourceFace(source: Described | undefined, images?: ImageUrlMap): FaceView {
  const configured = source?.options.face;
  const file = typeof configured === 'string' && !httpUrl(configured) ? configured : undefined;
  const url = (file ? undefined : httpUrl(configured)) ?? httpUrl(source?.feedFace);
  const view: FaceView = file ? { faceFile: file } : {};
  if (url) view.face = images ? images(url) : url;
  return view;
}

/** The face URLs pages show of these sources, before routing: what a static export copies. */
export function faceUrls(sources: Iterable<Described>): string[] {
  const urls = new Set<string>();
  for (const source of sources) {
    const url = sourceFace(source).face;
    if (url) urls.add(url);
  }
  return [...urls];
}

/** The home page shown for a source: the configured one, else the feed's. */
export function sourceHomePage(source: Described | undefined): string | undefined {
  return httpUrl(source?.options.homepage) ?? httpUrl(source?.homePageUrl);
}

/** The person a source belongs to, when the config names one; their page is the source's home page. */
export function sourcePerson(source: Described | undefined): PersonView | undefined {
  const name = source?.options.person;
  if (typeof name !== 'string' || !name.trim()) return undefined;
  const url = sourceHomePage(source);
  return url ? { name: name.trim(), url } : { name: name.trim() };
}

/** One person of `/people`: their name, face and home page, and the sources they write. */
export interface PeopleEntryView extends PersonView, FaceView {
  sources: { id: number; name: string; homePageUrl?: string }[];
}

/**
 * A person from their sources (oldest first, as the store gives them): named by the config's `person:`, else
 * (a source of their own) by the source's name; the first face and home page among the sources stand for them.
 */
export function personView(sources: readonly Source[], images?: ImageUrlMap): PeopleEntryView {
  const first = sources[0];
  const person = sourcePerson(first);
  const faced =
    sources.find((s) => typeof s.options.face === 'string') ?? sources.find((s) => httpUrl(s.feedFace));
  const face = sourceFace(faced, images);
  const url = sources.map((s) => httpUrl(s.options.homepage)).find(Boolean) ?? sourceHomePage(first);
  return {
    name: person?.name ?? sourceName(first),
    ...(url && { url }),
    ...face,
    sources: sources.map((s) => {
      const homePageUrl = sourceHomePage(s);
      return { id: s.id, name: sourceName(s), ...(homePageUrl && { homePageUrl }) };
    }),
  };
}
