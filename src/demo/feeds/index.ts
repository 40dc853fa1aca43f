/** The sample feeds of `tributary demo`: one of each kind the bundled sources are. */
import type { DemoFeed } from '../sample-feed.js';
import { ATOM_BLOG } from './atom-blog.js';
import { COMIC } from './comic.js';
import { HEADLINES } from './headlines.js';
import { PODCAST } from './podcast.js';
import { WORDPRESS } from './wordpress.js';
import { YOUTUBE } from './youtube.js';

export { YOUTUBE_VIDEO_IDS } from './youtube.js';

export const DEMO_FEEDS: readonly DemoFeed[] = [HEADLINES, WORDPRESS, ATOM_BLOG, YOUTUBE, COMIC, PODCAST];
