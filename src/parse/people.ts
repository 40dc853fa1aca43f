/** Reading people (authors) out of the forms feeds write them in. */
import type { Author } from '../model.js';
import { collapseSpace } from './text.js';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** RSS `<author>`/`<managingEditor>` and dc:creator: "jo@example.org (Jo Doe)", "Jo Doe <jo@example.org>",
 * "jo@example.org", or just "Jo Doe". */
export function parsePerson(raw: string): Author | undefined {
  const s = collapseSpace(raw);
  if (!s) return undefined;
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
