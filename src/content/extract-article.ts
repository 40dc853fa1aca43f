/**
 * extractArticle: an article page's main content, found by Mozilla's Readability (Firefox Reader View)
 * over linkedom's light DOM — no browser, no script execution. Pure: a string in, an HTML fragment out.
 * The fragment is NOT sanitized; callers pass it through `sanitizeHtml` like any third-party HTML.
 */
import { isProbablyReaderable, Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** Readability gives up on larger pages anyway; bounding the element count bounds its time. */
const MAX_ELEMENTS = 20_000;

/**
 * The main content of `html` (a whole page fetched from `url`) as HTML, or undefined when the page holds
 * no article (a home page, a login wall, a page of links) or Readability finds too little text in it.
 */
export function extractArticle(html: string, url: string): string | undefined {
  // linkedom's parseHTML has no document URL; a <base> lets Readability make links absolute against the page.
  const { document } = parseHTML(withBase(html, url));
  // Readability's types name the DOM lib's Document, which this Node project does not load.
  const doc = document as unknown as ConstructorParameters<typeof Readability>[0];
  if (!isProbablyReaderable(doc)) return undefined;
  let article: ReturnType<Readability['parse']>;
  try {
    article = new Readability(doc, { maxElemsToParse: MAX_ELEMENTS }).parse();
  } catch {
    return undefined; // too many elements, or a page linkedom could not model: keep the feed's excerpt
  }
  const content = article?.content?.trim();
  return content ? content : undefined;
}

function withBase(html: string, url: string): string {
  if (/<base\s[^>]*href/i.test(html)) return html;
  const base = `<base href="${url.replace(/"/g, '&quot;')}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => head + base) : base + html;
}
