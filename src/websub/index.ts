/** WebSub (PubSubHubbub): subscribe to hubs that feeds advertise, take signed pushes, ping our own hub. */
export { type CallbackOptions, createWebSubCallback, type WebSubCallback } from './callback.js';
export { advertised, parseLinkHeader } from './links.js';
export { announceNewEntries, PUBLISHED_FEEDS, publishedTopics } from './publisher.js';
export { signBody, validSignature } from './signature.js';
export {
  type FetchedFeed,
  maintainSubscription,
  pollAround,
  SAFETY_NET_SECONDS,
  type SubscriberDeps,
  type WebSubOptions,
} from './subscriber.js';
export { RENEW_AT_SHARE, renewAt, type Subscription, subscriptionOf } from './subscription.js';
