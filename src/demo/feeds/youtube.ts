/** A YouTube channel's Atom feed: yt:videoId, and a media:group with the thumbnail and description. */
import { videoThumbnail } from '../art.js';
import {
  atomDate,
  type DemoFeed,
  type DemoImage,
  type DemoPost,
  type DemoSite,
  url,
  xmlEscape,
} from '../sample-feed.js';

interface Video extends DemoPost {
  videoId: string;
  description: string;
  views: number;
  /** Thumbnail colour. */
  hue: number;
}

const CHANNEL = 'Bits and Bench';
const CHANNEL_ID = 'UC7dQm2Bits4ndBench0X9k1';

const POSTS: readonly Video[] = [
  {
    title: 'Building a silent NAS from spare parts',
    author: CHANNEL,
    path: '/youtube/watch?v=v3xK9pLm2Qa',
    hoursAgo: 3,
    videoId: 'v3xK9pLm2Qa',
    hue: 210,
    views: 18_204,
    description: `An old office PC, four hard drives and a lot of foam: can a NAS be truly silent?

00:00 Intro
01:12 Picking the case
06:40 Drive mounting and vibration
14:05 Fan curves
19:30 Noise measurements`,
  },
  {
    title: 'Is ECC memory worth it at home? We tested',
    author: CHANNEL,
    path: '/youtube/watch?v=H7nR2tYw8Zc',
    hoursAgo: 37,
    videoId: 'H7nR2tYw8Zc',
    hue: 12,
    views: 41_877,
    description: `Six months, two identical machines, one with ECC memory. How many corrected errors did we see, and does it matter for a home server?

Test setup and logs are linked on the blog.`,
  },
  {
    title: 'Teardown: a ten-year-old enterprise SSD',
    author: CHANNEL,
    path: '/youtube/watch?v=p0Lk5sDe3Fg',
    hoursAgo: 89,
    videoId: 'p0Lk5sDe3Fg',
    hue: 140,
    views: 9_530,
    description: `This drive wrote 4 petabytes in its life. We open it up to see the capacitors, the controller and how much flash was held in reserve.`,
  },
  {
    title: 'Cable management for people who hate cable management',
    author: CHANNEL,
    path: '/youtube/watch?v=Qa9Wm4Xc1Vb',
    hoursAgo: 152,
    videoId: 'Qa9Wm4Xc1Vb',
    hue: 280,
    views: 66_012,
    description: `Velcro, labels and exactly one rule. A rack that takes ten minutes to tidy and stays tidy.`,
  },
  {
    title: 'Live Q&A: your rack questions answered',
    author: CHANNEL,
    path: '/youtube/watch?v=z8Ny6Ju2Hk0',
    hoursAgo: 231,
    videoId: 'z8Ny6Ju2Hk0',
    hue: 40,
    views: 5_118,
    description: `Ninety minutes of your questions: UPS sizing, rails that do not fit, and whether a rack belongs in a flat.`,
  },
];

/** Where YouTube keeps a video's thumbnail, on the demo's server. */
const thumbnailPath = (v: Video) => `/youtube/vi/${v.videoId}/hqdefault.jpg`;

const IMAGES: readonly DemoImage[] = POSTS.map((v) => ({
  path: thumbnailPath(v),
  type: 'image/jpeg',
  svg: videoThumbnail(v.title, v.hue),
}));

function render(site: DemoSite): string {
  const channelUrl = url(site, YOUTUBE.home);
  const entries = POSTS.map(
    (v) => `
 <entry>
  <id>yt:video:${v.videoId}</id>
  <yt:videoId>${v.videoId}</yt:videoId>
  <yt:channelId>${CHANNEL_ID}</yt:channelId>
  <title>${xmlEscape(v.title)}</title>
  <link rel="alternate" href="${xmlEscape(url(site, v.path))}"/>
  <author>
   <name>${xmlEscape(CHANNEL)}</name>
   <uri>${channelUrl}</uri>
  </author>
  <published>${atomDate(site, v.hoursAgo)}</published>
  <updated>${atomDate(site, v.hoursAgo / 2)}</updated>
  <media:group>
   <media:title>${xmlEscape(v.title)}</media:title>
   <media:content url="https://www.youtube.com/v/${v.videoId}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="${url(site, thumbnailPath(v))}" width="480" height="270"/>
   <media:description>${xmlEscape(v.description)}</media:description>
   <media:community>
    <media:starRating count="${Math.round(v.views / 40)}" average="5.00" min="1" max="5"/>
    <media:statistics views="${v.views}"/>
   </media:community>
  </media:group>
 </entry>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="${xmlEscape(url(site, YOUTUBE.path))}"/>
 <id>yt:channel:${CHANNEL_ID}</id>
 <yt:channelId>${CHANNEL_ID}</yt:channelId>
 <title>${xmlEscape(CHANNEL)}</title>
 <link rel="alternate" href="${channelUrl}"/>
 <author>
  <name>${xmlEscape(CHANNEL)}</name>
  <uri>${channelUrl}</uri>
 </author>
 <published>${atomDate(site, 24 * 400)}</published>${entries}
</feed>
`;
}

export const YOUTUBE: DemoFeed = {
  name: `${CHANNEL} (YouTube)`,
  kind: 'YouTube channel (Atom, yt: and media:)',
  path: `/youtube/feeds/videos.xml?channel_id=${CHANNEL_ID}`,
  home: `/youtube/channel/${CHANNEL_ID}`,
  contentType: 'text/xml; charset=UTF-8',
  posts: POSTS,
  images: IMAGES,
  render,
};

/** The video ids, so a check can look for the player or the thumbnail. */
export const YOUTUBE_VIDEO_IDS: readonly string[] = POSTS.map((v) => v.videoId);
