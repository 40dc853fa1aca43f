/**
 * Names a post gives its elements (id, name, class) and the attributes that refer to them, moved into a
 * namespace of their own so that they can only ever meet each other, never our page's.
 *
 * Not for DOM clobbering (our pages run no script, and their CSP allows none) but for what HTML does
 * without script: a label clicks the control its `for` names (`<label for="q">` would focus our search
 * box), and our stylesheet's `#id`/`.class` selectors would style post elements (a post could borrow our
 * attribution line's look to fake its provenance). GitHub prefixes the same way.
 */
export const NAME_PREFIX = 'user-content-';

/** Attributes holding one name: the element's own (id, name) or a reference to one (list → datalist id). */
const ONE_NAME = new Set(['id', 'name', 'list']);
/** Attributes holding a space-separated list of names: class tokens, output `for`, table `headers`. */
const NAME_LISTS = new Set(['class', 'for', 'headers']);

/** The attributes whose values namespaced changes: it keeps any other attribute's value as it is. */
export const NAMING_ATTRIBUTES: ReadonlySet<string> = new Set([...ONE_NAME, ...NAME_LISTS, 'usemap']);

const prefixed = (name: string): string => (name.startsWith(NAME_PREFIX) ? name : NAME_PREFIX + name);

/**
 * The value to keep for attribute `attr` (undefined: drop it): every name in a naming attribute prefixed,
 * any other attribute's value as it is. A value already prefixed is kept, so this is a fixed point. An empty
 * value names nothing and stays empty. `usemap` is a hash-name reference (`#map`; browsers read only what
 * follows the first `#`, so it never loads a URL): kept as `#` and the prefixed name, dropped when it names
 * nothing.
 */
export function namespaced(attr: string, value: string): string | undefined {
  if (ONE_NAME.has(attr)) return value && prefixed(value);
  if (NAME_LISTS.has(attr))
    return value
      .split(/[\t\n\f\r ]+/)
      .filter(Boolean)
      .map(prefixed)
      .join(' ');
  if (attr !== 'usemap' || value.trim() === '') return value;
  const hash = value.indexOf('#');
  const name = hash < 0 ? '' : value.slice(hash + 1);
  return name ? `#${prefixed(name)}` : undefined;
}
