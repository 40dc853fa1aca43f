/**
 * URLs as shown outside the process. A private feed's `user:password@` stays in the store and goes out only
 * as the Authorization header of its own requests: operator output (CLI, logs) keeps the user name so a
 * source can still be told apart, public output (pages, feeds, OPML) drops the userinfo altogether.
 *
 * Both functions take a URL or any text holding URLs (an error message, a log line), so one pass covers
 * messages that embed a URL as well as the URL itself; text without credentials comes back unchanged.
 */

/**
 * `scheme://userinfo@`: the userinfo runs to the last `@` before the host's end, stopping at characters that
 * end a URL in text (whitespace, quotes, angle brackets, a JSON escape) so that it never swallows its
 * neighbours in a log line. The scheme's length is bounded so a long dotted word costs linear time.
 */
const USERINFO = /\b([a-z][a-z\d+.-]{0,31}:\/\/)([^\s/?#"'<>\\]*)@/gi;

/** `http://user:***@host/feed` (a user name alone may itself be a token: `http://***@host/feed`). */
export function redactUrl(text: string | URL): string {
  return String(text).replace(USERINFO, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? '' : userinfo.slice(0, colon + 1)}***@`;
  });
}

/** `http://host/feed`: for pages, feeds and OPML, which anyone may read. */
export function publicUrl(text: string | URL): string {
  return String(text).replace(USERINFO, '$1');
}
