/** Characters XML 1.0 allows, for the reader (parse/) and the writers (publish/). Imports nothing. */

/**
 * `text` without what XML 1.0 forbids even as a character reference: C0 controls other than tab/LF/CR, the
 * non-characters U+FFFE/U+FFFF, and lone surrogates (`\p{Cs}` under the `u` flag matches only unpaired ones).
 * The `u`-flag scan is several times slower than a plain one, so a plain scan for any candidate (any
 * surrogate, paired or not) comes first: most text has none, and emoji are the usual paired ones.
 */
export function withoutXmlForbidden(text: string): string {
  return MAY_BE_FORBIDDEN.test(text) ? text.replace(XML_FORBIDDEN, '') : text;
}
const MAY_BE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\p{Cs}]/gu;
