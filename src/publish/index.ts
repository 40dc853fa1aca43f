/**
 * The publish stage: pure functions from store data to what readers get — page view models, Atom, RSS,
 * JSON Feed, OPML and the text digest. No I/O here: the server and the static export load the data.
 */
export { type Month, monthLabel, monthOf, monthStart, nextMonth } from './archive.js';
export { renderAtom } from './atom.js';
export {
  attributionAuthor,
  attributionLine,
  originalUrl,
  publishedAuthors,
  sourceName,
} from './attribution.js';
export { type DateLabels, dateLabels } from './dates.js';
export { renderDigest } from './digest.js';
export type { FeedInput, FeedScope } from './feed-entry.js';
export {
  activityWindow,
  CHART_DAYS,
  type HealthChart,
  healthChart,
  type SourceHealthView,
  sourceHealth,
} from './health.js';
export { renderJsonFeed } from './json-feed.js';
export { renderOpml } from './opml.js';
export {
  type FaceView,
  faceUrls,
  type PeopleEntryView,
  type PersonView,
  personView,
  sourceFace,
} from './people.js';
export {
  type AlsoIn,
  type MediaView,
  type PostView,
  postView,
  sanitizedBody,
  type YouTubeView,
} from './post-view.js';
export { type DayView, type RiverView, riverView } from './river-view.js';
export { renderRss } from './rss.js';
export { type SiteInfo, siteUrl } from './site.js';
