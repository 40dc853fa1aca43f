/**
 * `/people`: the people whose feeds flow into the river, by name, a page at a time (the store reads a page
 * from one index, so 100,000 sources cost what 100 do). A person is the sources the config groups under one
 * `person:`; a source without one is a person of its own, as a planet's subscription list shows each feed.
 */
import { personView } from '../publish/index.js';
import type { Store } from '../store/index.js';
import type { Links } from './links.js';
import type { Resource } from './site.js';
import type { TemplateName } from './templates.js';

/** People per page: a page of faces stays light. */
export const PEOPLE_PAGE_SIZE = 50;
/** Person keys are names; a cursor longer than this was not made by this site. */
const MAX_TOKEN = 2800;

/** A page's cursor (the last person key of the previous page) as a URL-safe token, and back. */
export function encodePeopleCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key a token names, or undefined for one this site does not make. */
export function decodePeopleCursor(token: string): string | undefined {
  if (token.length > MAX_TOKEN || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const key = Buffer.from(token, 'base64url').toString('utf8');
  // Only the one spelling each key has: another would be another cache entry for the same page.
  return encodePeopleCursor(key) === token ? key : undefined;
}

export interface PeopleContext {
  store: Store;
  page(name: TemplateName, pageTitle: string, links: Links, data: object): Resource;
  titled(title: string): string;
}

/** The page of people after the person key `after` (from the first when absent). */
export async function peopleResource(ctx: PeopleContext, after: string | undefined, links: Links) {
  const found = await ctx.store.peoplePage({
    limit: PEOPLE_PAGE_SIZE,
    ...(after !== undefined && { after }),
  });
  return ctx.page('people', ctx.titled('People'), links, {
    people: found.people.map((person) => personView(person.sources, links.image)),
    first: after !== undefined ? links.peoplePage() : undefined,
    next: found.next !== undefined ? links.peoplePage(encodePeopleCursor(found.next)) : undefined,
  });
}
