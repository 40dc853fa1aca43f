/** What a fresh install follows: the sites a typical tech-news river reads. YouTube channels are given by
 * their channel page and resolved to the channel's feed by autodiscovery on first fetch. */
import type { SourceConfig } from './config.js';

export const DEFAULT_SOURCES: SourceConfig[] = [
  { url: 'https://lwn.net/headlines/rss', name: 'LWN.net' },
  { url: 'https://blog.cloudflare.com/rss/', name: 'The Cloudflare Blog' },
  { url: 'https://www.schneier.com/feed/atom/', name: 'Schneier on Security', author: 'Bruce Schneier' },
  { url: 'https://xkcd.com/atom.xml', name: 'xkcd', author: 'Randall Munroe' },
  { url: 'https://www.servethehome.com/feed/', name: 'ServeTheHome' },
  {
    url: 'https://aws.amazon.com/blogs/messaging-and-targeting/feed/',
    name: 'AWS Messaging & Targeting Blog',
  },
  { url: 'https://aws.amazon.com/blogs/big-data/feed/', name: 'AWS Big Data Blog' },
  { url: 'https://aws.amazon.com/blogs/compute/feed/', name: 'AWS Compute Blog' },
  { url: 'https://www.youtube.com/@ServeTheHomeVideo', name: 'ServeTheHome (YouTube)' },
  { url: 'https://www.youtube.com/@Computerphile', name: 'Computerphile' },
  { url: 'https://www.youtube.com/@LevelOneTechs', name: 'Level1Techs' },
];
