/**
 * Highlighted excerpts of search results, built in JS from the stored text rather than by the index:
 * SQLite's FTS table is contentless (it holds no text to take snippets from), and PostgreSQL's ts_headline
 * would re-parse every result's HTML in the server. Doing it here makes both backends show the same thing.
 *
 * The result is plain text cut into parts, some marked as matches; the page escapes every part and wraps
 * the marked ones in <mark>, so no markup from a post or from the query can reach the page through it.
 * Words are matched as the indexes match them: case and accents folded, stemmed with Porter's algorithm
 * (SQLite's tokenizer; PostgreSQL's English stemmer differs in few words), a prefix term by its start.
 */
import { stemmer } from 'stemmer';
import { bodyText, type EntryColumns, entryFromColumns } from './entry-row.js';
import type { SearchTerm, SearchTerms } from './search-query.js';
import type { SearchHit, SearchPage, SearchRequest, StoredEntry } from './store.js';

export interface TextPart {
  text: string;
  /** Part of a match: shown highlighted. */
  match?: true;
}

/** Characters of an excerpt, about three lines of a result. */
export const SNIPPET_CHARS = 240;
/** Text past this is not searched for an excerpt (a long post's excerpt then comes from its opening). */
const SCANNED_CHARS = 50_000;
/** Of an excerpt, what comes before its first match. */
const LEAD_CHARS = 60;

const WORD = /[\p{L}\p{N}]+/gu;

interface Span {
  start: number;
  end: number;
  /** Which positive term matched: an excerpt showing more different terms is better. */
  term: number;
}

/** `text` with the words the search matched marked: for titles, shown whole. */
export function highlight(text: string, terms: SearchTerms): TextPart[] {
  return parts(text, 0, text.length, matches(text, positiveTerms(terms)));
}

/**
 * An excerpt of `text` of about `chars` characters around the passage that matches the most terms of the
 * search, cut at word boundaries (… marks a cut), with the matches marked; the opening when nothing matches
 * (the post matched by its title). Whitespace runs become single spaces.
 */
export function snippet(text: string, terms: SearchTerms, chars = SNIPPET_CHARS): TextPart[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return [];
  const spans = matches(flat.slice(0, SCANNED_CHARS), positiveTerms(terms));
  const window = bestWindow(spans, chars);
  let { start, end } = window;
  end = Math.min(end, flat.length);
  // Whole words only: the cuts move to spaces, never past the matches the window was chosen for.
  const space = flat.indexOf(' ', start);
  if (start > 0 && space !== -1 && space < window.firstMatch) start = space + 1;
  if (end < flat.length) end = Math.max(flat.lastIndexOf(' ', end), window.lastMatch, start + 1);
  const excerpt = parts(flat, start, end, spans);
  if (start > 0) excerpt.unshift({ text: '… ' });
  if (end < flat.length) excerpt.push({ text: ' …' });
  return excerpt;
}

/** The window of `chars` characters whose matches are of the most different terms (the earliest of equals). */
function bestWindow(spans: Span[], chars: number) {
  let best = { start: 0, end: chars, firstMatch: 0, lastMatch: 0, terms: 0 };
  for (const [i, span] of spans.entries()) {
    const start = Math.max(0, span.start - LEAD_CHARS);
    const end = start + chars;
    const shown = new Set<number>();
    let lastMatch = span.end;
    for (let j = i; j < spans.length && spans[j]!.end <= end; j++) {
      shown.add(spans[j]!.term);
      lastMatch = spans[j]!.end;
    }
    if (shown.size > best.terms) best = { start, end, firstMatch: span.start, lastMatch, terms: shown.size };
  }
  return best;
}

/** Every term a post matched by: the ones it must not contain are not shown. */
function positiveTerms(terms: SearchTerms): Matcher[] {
  return terms.all.flat().map(matcher);
}

type Matcher = (words: Word[], at: number) => number;

interface Word {
  start: number;
  end: number;
  text: string;
  /** Lower-cased, accents removed; filled in when first compared. */
  folded?: string;
  stem?: string;
}

/** How many words from `at` on a term matches (0: none). */
function matcher(term: SearchTerm): Matcher {
  const wanted = term.words.map((w, i) => {
    const folded = fold(w);
    return term.prefix && i === term.words.length - 1
      ? { prefix: folded }
      : { stem: stemmer(folded), first: folded[0] };
  });
  return (words, at) => {
    if (at + wanted.length > words.length) return 0;
    for (const [i, want] of wanted.entries()) {
      const word = words[at + i]!;
      word.folded ??= fold(word.text);
      if ('prefix' in want) {
        if (!word.folded.startsWith(want.prefix!)) return 0;
        continue;
      }
      // Stemming only changes a word's ending: most words are told apart by their first letter, unstemmed.
      if (word.folded[0] !== want.first) return 0;
      word.stem ??= stemmer(word.folded);
      if (word.stem !== want.stem) return 0;
    }
    return wanted.length;
  };
}

/** Where the terms match in `text`, in order, none overlapping. */
function matches(text: string, terms: Matcher[]): Span[] {
  if (terms.length === 0) return [];
  const words: Word[] = [];
  for (const m of text.matchAll(WORD)) words.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  const spans: Span[] = [];
  for (let at = 0; at < words.length; ) {
    let matched = 0;
    let term = 0;
    for (; term < terms.length && matched === 0; term++) matched = terms[term]!(words, at);
    if (matched === 0) {
      at++;
      continue;
    }
    spans.push({ start: words[at]!.start, end: words[at + matched - 1]!.end, term: term - 1 });
    at += matched;
  }
  return spans;
}

/** `text[start, end)` cut into parts, the spans that lie wholly inside it marked. */
function parts(text: string, start: number, end: number, spans: Span[]): TextPart[] {
  const result: TextPart[] = [];
  let at = start;
  for (const span of spans) {
    if (span.start < at || span.end > end) continue;
    if (span.start > at) result.push({ text: text.slice(at, span.start) });
    result.push({ text: text.slice(span.start, span.end), match: true });
    at = span.end;
  }
  if (at < end) result.push({ text: text.slice(at, end) });
  return result;
}

/** Lower case without accents: "Café" → "cafe", as both indexes fold them. */
function fold(word: string): string {
  const lower = word.toLowerCase();
  return /[^\x00-\x7f]/.test(lower) ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower;
}

/** The page of results in `rows`, read one past the page (which says whether another follows). */
export function searchPage(rows: EntryColumns[], request: SearchRequest): SearchPage {
  return {
    hits: rows.slice(0, request.limit).map((row) => searchHit(entryFromColumns(row), request)),
    more: rows.length > request.limit,
  };
}

/** A stored entry as a search result: its title and an excerpt of its body, the matches marked. */
function searchHit(entry: StoredEntry, terms: SearchTerms): SearchHit {
  const { item } = entry;
  return {
    entry,
    title: highlight(item.title?.trim() ?? '', terms),
    snippet: snippet(bodyText(item.content_text, item.content_html, item.summary), terms),
  };
}
