/**
 * What a user types into search, parsed once into a small AST that each backend renders into its own query
 * language (sqlite/search.ts: an FTS5 MATCH expression; postgres/search.ts: a tsquery). The user's text never
 * reaches either as query syntax: only the letters and digits of its words do, quoted by the renderers.
 *
 * The syntax is the one web search engines (and PostgreSQL's websearch_to_tsquery) taught everyone:
 *
 *   memory safety      posts with both words, anywhere
 *   "memory safety"    the words next to each other, in this order
 *   rust OR go         either word (OR in capitals; `or` is a word)
 *   -java              posts without the word (or -"a phrase")
 *   kern*              words that start with "kern"
 *   source:lwn         posts of one source, by name or number (several: of any of them)
 *   tag:kernel         posts carrying that tag (several: all of them); quote values with spaces
 *
 * Words are split as the indexes split them (runs of letters and digits), so `e-mail` is the phrase
 * "e mail", as it is in every post. Mistakes that would otherwise search for something the user did not
 * mean (an unclosed quote, a dangling OR, only words to leave out) are a SearchSyntaxError saying what to
 * change.
 */

export interface SearchTerm {
  /** One word, or several that must follow each other (a phrase); lower-case letters and digits. */
  words: string[];
  /** The last word matches any word it begins. */
  prefix: boolean;
}

/** The words of a search: what both indexes match. */
export interface SearchTerms {
  /** Every group must match; a group of several terms (`a OR b`) matches when any of them does. */
  all: SearchTerm[][];
  /** A post holding any of these does not match. */
  none: SearchTerm[];
}

export interface ParsedSearch extends SearchTerms {
  /** The `source:` values as typed: names or numbers, for the caller to resolve to source ids. */
  sources: string[];
  /** The `tag:` values, lower-cased. */
  tags: string[];
}

/** A search the user should rephrase; the message says how, and is meant to be shown as it is. */
export class SearchSyntaxError extends Error {
  override name = 'SearchSyntaxError';
}

/** Longer input is not something anyone typed, and would only make a slower query. */
export const MAX_SEARCH_LENGTH = 200;
/** Words in one search (phrases count each of their words), so a pasted paragraph stays a cheap query. */
export const MAX_SEARCH_WORDS = 32;
/**
 * How many of a search's newest matches are ranked, best first, on either backend: a word in a tenth of ten
 * million posts would otherwise have a million ranked for every page (seconds), and among that many the
 * newest are the ones a reader wants anyway. A search past them finds nothing more.
 */
export const RANKED_MATCHES = 1000;

/** A shorter prefix matches most of the index: as slow as search gets, and no use to anyone. */
export const MIN_PREFIX_LENGTH = 2;

const WORD = /[\p{L}\p{N}]+/gu;
const FILTER = /^(source|tag):(.*)$/is;

/** The words of a piece of text, as the indexes split it: runs of letters and digits, lower-cased. */
export function searchWords(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

type Token =
  | { kind: 'or' }
  | { kind: 'term'; negated: boolean; term?: SearchTerm; text: string }
  | { kind: 'filter'; negated: boolean; key: 'source' | 'tag'; value: string; text: string };

export function parseSearch(input: string): ParsedSearch {
  const text = input.trim();
  if (text.length > MAX_SEARCH_LENGTH) {
    throw new SearchSyntaxError(
      `This search is ${text.length} characters long; a search takes at most ${MAX_SEARCH_LENGTH}. Keep the words that matter most.`,
    );
  }
  const parsed: ParsedSearch = { all: [], none: [], sources: [], tags: [] };
  /** The term before an OR, waiting for the one after it. */
  let orAfter: string | undefined;
  let lastPositive: string | undefined;
  const orMisused = (near: string) =>
    new SearchSyntaxError(
      `OR needs a word to look for on each side, as in “rust OR go”; check the OR near “${near}”.`,
    );
  for (const token of tokens(text)) {
    if (token.kind === 'or') {
      if (orAfter !== undefined || lastPositive === undefined) throw orMisused(lastPositive ?? 'OR');
      orAfter = lastPositive;
      continue;
    }
    if (token.kind === 'filter') {
      if (orAfter !== undefined) throw orMisused(orAfter);
      if (token.negated) {
        throw new SearchSyntaxError(
          `“${token.text}”: a filter cannot be negated. Use ${token.key}: to keep only what matches it.`,
        );
      }
      if (token.value === '') {
        throw new SearchSyntaxError(
          token.key === 'source'
            ? '“source:” needs a source name or number after it, as in source:lwn (the Sources page lists them).'
            : '“tag:” needs a tag after it, as in tag:kernel.',
        );
      }
      if (token.key === 'source') parsed.sources.push(token.value);
      else parsed.tags.push(token.value.toLowerCase());
      lastPositive = undefined;
      continue;
    }
    const { term } = token;
    if (!term) continue; // punctuation alone: nothing the indexes hold
    if (token.negated) {
      if (orAfter !== undefined) throw orMisused(orAfter);
      parsed.none.push(term);
      lastPositive = undefined;
    } else {
      if (orAfter !== undefined) parsed.all.at(-1)!.push(term);
      else parsed.all.push([term]);
      orAfter = undefined;
      lastPositive = token.text;
    }
  }
  if (orAfter !== undefined) throw orMisused(orAfter);
  const words = [...parsed.all.flat(), ...parsed.none].reduce((n, t) => n + t.words.length, 0);
  if (words > MAX_SEARCH_WORDS) {
    throw new SearchSyntaxError(
      `This search has ${words} words; a search takes at most ${MAX_SEARCH_WORDS}. Keep the words that matter most.`,
    );
  }
  if (parsed.all.length === 0) {
    const narrowed = parsed.none.length > 0 || parsed.sources.length > 0 || parsed.tags.length > 0;
    throw new SearchSyntaxError(
      narrowed
        ? 'Add a word to look for: filters and -words only narrow a search, as in “kernel -rust source:lwn”.'
        : `“${text}” has no word to look for: a search is made of words (letters and digits).`,
    );
  }
  return parsed;
}

/** The tokens of the input, left to right. */
function* tokens(text: string): Generator<Token> {
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const negated = text[i] === '-' && i + 1 < text.length && !/\s/.test(text[i + 1]!);
    if (negated) i++;
    if (text[i] === '"') {
      const end = closingQuote(text, i);
      const phrase = text.slice(i + 1, end);
      i = end + 1;
      yield { kind: 'term', negated, term: termOf(phrase, false), text: text.slice(start, i) };
      continue;
    }
    let end = i;
    while (end < text.length && !/[\s"]/.test(text[end]!)) end++;
    const bare = text.slice(i, end);
    const filter = FILTER.exec(bare);
    if (filter) {
      let value = filter[2]!;
      if (value === '' && text[end] === '"') {
        const close = closingQuote(text, end);
        value = text.slice(end + 1, close).trim();
        end = close + 1;
      }
      const key = filter[1]!.toLowerCase() as 'source' | 'tag';
      yield { kind: 'filter', negated, key, value, text: text.slice(start, end) };
    } else if (bare === 'OR' && !negated) {
      yield { kind: 'or' };
    } else {
      yield { kind: 'term', negated, term: termOf(bare, bare.endsWith('*')), text: text.slice(start, end) };
    }
    i = end;
  }
}

/** Where the quote opened at `open` closes; an unclosed quote is an error rather than a guess. */
function closingQuote(text: string, open: number): number {
  const close = text.indexOf('"', open + 1);
  if (close === -1) {
    const opened = text.slice(open, open + 30);
    throw new SearchSyntaxError(
      `The quote that opens ${opened.length < 30 ? `“${opened}”` : `“${opened}…”`} is not closed: add the closing " (or remove the opening one).`,
    );
  }
  return close;
}

function termOf(text: string, prefix: boolean): SearchTerm | undefined {
  const words = searchWords(text);
  if (words.length === 0) return undefined;
  if (prefix && words.at(-1)!.length < MIN_PREFIX_LENGTH) {
    throw new SearchSyntaxError(
      `“${text}”: a word ending in * needs at least ${MIN_PREFIX_LENGTH} letters before the *, as in kern*.`,
    );
  }
  return { words, prefix };
}
