/** Security headers sent with every response (pages, feeds, errors alike). */

/**
 * No script at all: pages work without JavaScript, so any script that slips into content is refused.
 * Images from any https origin (posts embed them), data: images and our own (the icon, which a site served
 * over plain http would otherwise refuse); media over https; frames only for
 * the video players the sanitizer keeps; styles and fonts only from our own stylesheet.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self' https: data:",
  'media-src https:',
  'frame-src https://www.youtube-nocookie.com https://player.vimeo.com',
  "style-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "connect-src 'self'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // A river page links to and loads images from hundreds of third-party sites; with a referrer each of
  // them would learn which page (and which search query) a reader was on. no-referrer tells them nothing.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
