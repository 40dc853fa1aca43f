/** A page of the river: posts grouped under day headings, with the cursor token of the next (older) page. */
import type { ImageUrlMap } from '../content/image-urls.js';
import type { RiverPage, Source, SourceId } from '../store/index.js';
import { encodeRiverCursor } from '../store/index.js';
import type { DateLabels } from './dates.js';
import { type AlsoIn, type PostView, postView } from './post-view.js';

export interface DayView {
  /** `2024-05-10`, for `<time datetime>` and anchors. */
  key: string;
  label: string;
  posts: PostView[];
}

export interface RiverView {
  days: DayView[];
  /** Token for `?before=`: present when older posts follow. */
  older?: string;
}

export function riverView(
  page: RiverPage,
  sources: ReadonlyMap<SourceId, Source>,
  labels: DateLabels,
  alsoIn?: AlsoIn,
  images?: ImageUrlMap,
): RiverView {
  const days: DayView[] = [];
  for (const entry of page.entries) {
    const post = postView(entry, sources, labels, alsoIn, images);
    const date = new Date(post.published);
    const key = labels.dayKey(date);
    const day = days.at(-1);
    if (day?.key === key) day.posts.push(post);
    else days.push({ key, label: labels.day(date), posts: [post] });
  }
  return page.next ? { days, older: encodeRiverCursor(page.next) } : { days };
}
