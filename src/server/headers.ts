/** Security headers sent with every response (pages, feeds, errors alike). */

/**
 * No script at all: pages work without JavaScript, so any script that slips into content is refused.
 * Images from any https origin (posts embed them), data: images, and our own (the image proxy, which serves
 * the plain-http ones: image-proxy.ts, and the icon); media over https; frames only for
 * the video players the sanitizer keeps; styles and fonts from this site (the stylesheet, a theme's files
 * under /theme/) or over https (a theme's web fonts): never inline, so neither a theme nor a post can add a
 * `<style>` or `style=""` that applies, and post content cannot link a stylesheet (the sanitizer drops
 * `<link>`). The policy is the same whatever the theme: a theme cannot change it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self' https: data:",
  'media-src https:',
  'frame-src https://www.youtube-nocookie.com https://player.vimeo.com',
  "style-src 'self' https:",
  "font-src 'self' https:",
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

/**
 * What the image proxy answers with. An image, but also a reply opened as a page in its own right: nothing in
 * it may load or run (`sandbox` makes it a unique origin without script), and its type is never guessed.
 */
export const IMAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Only our pages may embed what the proxy serves: other sites cannot use it to relay images.
  'Cross-Origin-Resource-Policy': 'same-origin',
};
