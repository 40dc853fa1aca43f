/**
 * The only URLs from feed data that our own markup turns into links or media sources: absolute http(s).
 * Sanitized content was already checked by the content stage; these guard the fields we render ourselves
 * (item url, attachments, source home pages), where a `javascript:` link would otherwise slip through.
 */
export function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function isHttps(url: string): boolean {
  return url.startsWith('https:');
}
