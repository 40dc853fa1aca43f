/**
 * `/digest.txt`: the river as plain text, for mail and terminals. Each post is its title, the attribution
 * line, then its body as text (content stage's htmlToText); posts are separated by a rule.
 */
import { htmlToText } from '../content/html-to-text.js';
import { attributionLine } from './attribution.js';
import type { FeedInput } from './feed-entry.js';

const RULE = '-'.repeat(72);

export function renderDigest(input: FeedInput): string {
  const { site } = input;
  const header = [site.title, ...(site.description ? [site.description] : [])].join('\n');
  const posts = input.entries.map((entry) => {
    const { item } = entry;
    const title = item.title?.trim() || '(untitled)';
    const body = item.content_html?.trim()
      ? htmlToText(item.content_html)
      : item.content_text?.trim() || item.summary?.trim() || '';
    const lines = [title, attributionLine(item, input.sources.get(entry.sourceId))];
    return body ? `${lines.join('\n')}\n\n${body}` : lines.join('\n');
  });
  return `${[header, ...posts].join(`\n\n${RULE}\n\n`)}\n`;
}
