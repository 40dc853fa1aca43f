/** Reading people (authors) out of the forms feeds write them in. */
import type { Author } from '../model.js';
import { collapseSpace } from './text.js';
import { resolveUrl } from './urls.js';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** RSS `<author>`/`<managingEditor>` and dc:creator: "jo@example.org (Jo Doe)", "Jo Doe <jo@example.org>",
 * "jo@example.org", or just "Jo Doe"; any of them followed by the person's URL in parentheses or brackets. */
export function parsePerson(raw: string): Author | undefined {
  const s = collapseSpace(raw);
  if (!s) return undefined;
  // "editor@example.org (https://example.org/about)", "Jo Doe <https://jo.example/>": the URL is the person's.
  const withUrl = /^(.*?)\s*(?:\((https?:\/\/[^\s()]+)\)|<(https?:\/\/[^\s<>]+)>)$/i.exec(s);
  if (withUrl) {
    const url = resolveUrl(withUrl[2] ?? withUrl[3]);
    return { ...parsePerson(withUrl[1]!), ...(url && { url }) };
  }
  let m = /^([^\s()<>]+@[^\s()<>]+)\s*\((.+)\)$/.exec(s);
  if (m) return { name: m[2]!.trim(), _email: m[1] };
  m = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(s);
  if (m) return m[1] ? { name: m[1].replace(/^"|"$/g, ''), _email: m[2] } : { name: m[2], _email: m[2] };
  m = /^(.+?)\s*\(([^()\s]+@[^()\s]+)\)$/.exec(s);
  if (m) return { name: m[1], _email: m[2] };
  m = /^\((.+)\)\s*([^\s()]+@[^\s()]+)$/.exec(s);
  if (m) return { name: m[1], _email: m[2] };
  if (EMAIL.test(s) && !s.includes(' ')) return { name: s, _email: s };
  return { name: s };
}

/** Drops empty and repeated authors, keeping order. */
export function uniqueAuthors(list: (Author | undefined)[]): Author[] | undefined {
  const out: Author[] = [];
  const seen = new Set<string>();
  for (const a of list) {
    if (!a || (!a.name && !a.url && !a._email)) continue;
    const key = `${a.name ?? ''}\u0000${a.url ?? ''}\u0000${a._email ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out.length > 0 ? out : undefined;
}
