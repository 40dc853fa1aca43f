/**
 * Names a post gives its elements (id, name, class) and the attributes that refer to them, moved into a
 * namespace of their own so that they can only ever meet each other, never our page's.
 *
 * Not for DOM clobbering (our pages run no script, and their CSP allows none) but for what HTML does
 * without script: a label clicks the control its `for` names (`<label for="q">` would focus our search
 * box), and our stylesheet's `#id`/`.class` selectors would style post elements (a post could borrow our
 * attribution line's look to fake its provenance). GitHub prefixes the same way.
 */
import type sanitize from 'sanitize-html';

export const NAME_PREFIX = 'user-content-';

/** Attributes holding one name: the element's own (id, name) or a reference to one (list → datalist id). */
const ONE_NAME = ['id', 'name', 'list'];
/** Attributes holding a space-separated list of names: class tokens, output `for`, table `headers`. */
const NAME_LISTS = ['class', 'for', 'headers'];

const prefixed = (name: string): string => (name.startsWith(NAME_PREFIX) ? name : NAME_PREFIX + name);

/**
 * Prefixes every name in the naming attributes present, in place; a value already prefixed is kept, so this
 * is a fixed point. An empty value names nothing and stays empty. `usemap` is a hash-name reference
 * (`#map`; browsers read only what follows the first `#`, so it never loads a URL): kept as `#` and the
 * prefixed name, dropped when it names nothing.
 */
export function namespaceNames(attribs: sanitize.Attributes): void {
  for (const attr of ONE_NAME) {
    const value = attribs[attr];
    if (value) attribs[attr] = prefixed(value);
  }
  for (const attr of NAME_LISTS) {
    const value = attribs[attr];
    if (value !== undefined)
      attribs[attr] = value
        .split(/[\t\n\f\r ]+/)
        .filter(Boolean)
        .map(prefixed)
        .join(' ');
  }
  const usemap = attribs.usemap;
  if (usemap === undefined || usemap.trim() === '') return;
  const hash = usemap.indexOf('#');
  const name = hash < 0 ? '' : usemap.slice(hash + 1);
  if (name) attribs.usemap = `#${prefixed(name)}`;
  else delete attribs.usemap;
}
