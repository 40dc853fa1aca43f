/** A web comic's Atom feed (xkcd-style): each entry is one strip as an <img> with hover text, and no
 * author, so the source's configured author is the one attributed. */
import { comicStrip } from '../art.js';
import {
  atomDate,
  type DemoFeed,
  type DemoImage,
  type DemoPost,
  type DemoSite,
  url,
  xmlEscape,
} from '../sample-feed.js';

interface Strip extends DemoPost {
  panels: readonly [string, string, string];
  hoverText: string;
}

const POSTS: readonly Strip[] = [
  {
    title: 'Dashboard',
    path: '/plotted-lines/215/',
    hoursAgo: 20,
    panels: ['The dashboard says everything is fine.', 'When was it last updated?', 'Define "last".'],
    hoverText: 'It is eventually consistent with reality, in the sense that eventually we all will be.',
  },
  {
    title: 'One Small Library',
    path: '/plotted-lines/214/',
    hoursAgo: 68,
    panels: ['I added one small library.', 'It pulled in 312 packages.', 'One of them writes haiku!'],
    hoverText: 'At least the build log scans now.',
  },
  {
    title: 'Standup',
    path: '/plotted-lines/213/',
    hoursAgo: 117,
    panels: ['Yesterday I worked on the thing.', 'Today I will work on the thing.', 'Blockers: the thing.'],
    hoverText: 'The thing has been ninety percent done for three sprints, which makes it very done.',
  },
  {
    title: 'Backups',
    path: '/plotted-lines/212/',
    hoursAgo: 165,
    panels: ['We have backups!', 'Have you ever restored one?', 'We have hopes.'],
    hoverText: 'Every untested backup is both complete and empty until someone opens the tarball.',
  },
  {
    title: 'Feed Reader',
    path: '/plotted-lines/211/',
    hoursAgo: 238,
    panels: ['I follow four hundred feeds.', 'How do you read them all?', 'One river at a time.'],
    hoverText: 'Unread count: yes.',
  },
];

/** Each strip at its number, as comic sites keep them. */
const stripPath = (strip: Strip) => `/plotted-lines/comics/${strip.path.split('/').at(-2)}.png`;

const IMAGES: readonly DemoImage[] = POSTS.map((s) => ({
  path: stripPath(s),
  type: 'image/png',
  svg: comicStrip(s.panels),
}));

function render(site: DemoSite): string {
  const entries = POSTS.map((s) => {
    const img = `<img src="${url(site, stripPath(s))}" title="${xmlEscape(s.hoverText)}" alt="${xmlEscape(s.title)}" width="620" height="220" />`;
    return `<entry><title>${xmlEscape(s.title)}</title><link href="${url(site, s.path)}" rel="alternate"></link><published>${atomDate(site, s.hoursAgo)}</published><updated>${atomDate(site, s.hoursAgo)}</updated><id>${url(site, s.path)}</id><summary type="html">${xmlEscape(img)}</summary></entry>`;
  }).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Plotted Lines</title><link href="${url(site, '/plotted-lines/')}" rel="alternate"></link><id>${url(site, '/plotted-lines/')}</id><updated>${atomDate(site, POSTS[0]!.hoursAgo)}</updated>${entries}</feed>
`;
}

export const COMIC: DemoFeed = {
  name: 'Plotted Lines',
  author: 'Wren Castillo',
  kind: 'web comic (Atom, images, no entry authors)',
  path: '/plotted-lines/atom.xml',
  home: '/plotted-lines/',
  contentType: 'application/atom+xml; charset=utf-8',
  posts: POSTS,
  images: IMAGES,
  render,
};
