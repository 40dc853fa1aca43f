/**
 * Rules a config applies to a source's items at ingest, after sanitizing: keep or drop items (include,
 * exclude), rewrite their HTML (rewrite) and fix their attribution (author). Documented in README.md ("Rules").
 *
 * A rule set is compiled once from its config form (`compileRules`, which validates it) and applied by
 * `applyRules`. Rule sets apply in order (the global set, then the source's): within a set, rewrite and author
 * rules transform each item in the order written, then the set's filters judge the result — an item is kept
 * when it matches any include (if the set has includes) and no exclude.
 *
 * Patterns are JavaScript regular expressions: a plain string is case-insensitive, `/pattern/flags` uses
 * exactly the flags given (i, m, s, u). Their cost is bounded: at most 500 characters of pattern, run over at
 * most the first 1 MB of a field.
 */
import type { FeedItem } from '../model.js';
import { htmlToText } from './html-to-text.js';
import { sanitizeHtml } from './sanitize.js';

export const MAX_PATTERN_LENGTH = 500;
/** Characters of a field a pattern sees; the rest of a longer field is left as it is. */
export const MAX_FIELD_CHARS = 1024 * 1024;

export type MatchField = 'title' | 'content' | 'author' | 'tags';
/** The fields a rewrite edits: the HTML body, the plain-text body (built-in rewrites only) and the summary. */
export type RewriteField = 'content_html' | 'content_text' | 'summary';
/** One replacement in one field. */
export interface RewriteEdit {
  field: RewriteField;
  pattern: RegExp;
  replace: string;
  /** The pattern sees only the field's last `tail` characters (a closing footer): bounded work on any field. */
  tail?: number;
}

export type Rule =
  | { kind: 'include' | 'exclude'; match: Partial<Record<MatchField, RegExp>> }
  | { kind: 'rewrite'; edits: RewriteEdit[] }
  | { kind: 'author'; from: RegExp; to: string }
  | { kind: 'author'; set: string };

/** A rule that does not compile; `message` names the rule (`rules[2].exclude.title`) and the cause. */
export class RuleError extends Error {
  override name = 'RuleError';
}

const MATCH_FIELDS: readonly MatchField[] = ['title', 'content', 'author', 'tags'];
/** The fields a user's rewrite may name (both by default). */
const REWRITE_FIELDS: readonly RewriteField[] = ['content_html', 'summary'];

/**
 * WordPress (and Yoast SEO) append "The post <a>X</a> appeared first on <a>Y</a>." to every item; in a
 * plain-text body or a summary (text in the model) it reads "The post X appeared first on Y." and closes the
 * field. Every repetition is bounded (attributes, text runs, inner tags, the text footer's two names), so one
 * match attempt reads a bounded stretch and the rewrite stays linear even on a field full of near-misses
 * (unbounded, 200 KB of "The post <a>x" took seconds).
 */
const LINK = String.raw`<a\b[^>]{0,2000}>[^<]{0,1000}(?:<(?!/a>)[^<]{0,1000}){0,20}</a>`;
const HTML_FOOTER = new RegExp(
  String.raw`(?:<p>\s*)?The post ${LINK} appeared first on ${LINK}\.?(?:\s*</p>)?`,
  'gi',
);
// The site's name may hold dots (example.com) but no sentence end: the footer is the field's last sentence,
// so the pattern reads only as far back as the longest footer it matches.
const TEXT_FOOTER = /\s*\bThe post [^\n]{1,1000}? appeared first on (?:[^\n.]|\.(?=\S)){1,300}\.?\s*$/i;
const TEXT_FOOTER_TAIL = 1400;
const BUILT_IN_REWRITES: Record<string, RewriteEdit[]> = {
  'strip-wordpress-footer': [
    { field: 'content_html', pattern: HTML_FOOTER, replace: '' },
    { field: 'content_text', pattern: TEXT_FOOTER, replace: '', tail: TEXT_FOOTER_TAIL },
    { field: 'summary', pattern: TEXT_FOOTER, replace: '', tail: TEXT_FOOTER_TAIL },
  ],
};

/** Compiles a config's `rules:` list; `where` names it in errors (`rules`, `sources[3].rules`). */
export function compileRules(raw: unknown, where = 'rules'): Rule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new RuleError(`${where} must be a list of rules`);
  return raw.map((entry, i) => compileRule(entry, `${where}[${i}]`));
}

/** One rule of such a list; `where` names it in errors (`rules[2]`). */
export function compileRule(raw: unknown, where: string): Rule {
  const o = mapping(raw, where);
  const keys = Object.keys(o);
  if (keys.length !== 1)
    throw new RuleError(`${where} must have exactly one of include, exclude, rewrite, author`);
  const kind = keys[0]!;
  const value = o[kind];
  const at = `${where}.${kind}`;
  switch (kind) {
    case 'include':
    case 'exclude': {
      const fields = mapping(value, at);
      const match: Partial<Record<MatchField, RegExp>> = {};
      for (const [field, pattern] of Object.entries(fields)) {
        if (!MATCH_FIELDS.includes(field as MatchField))
          throw new RuleError(`${at}: unknown field "${field}" (use ${MATCH_FIELDS.join(', ')})`);
        match[field as MatchField] = compilePattern(pattern, `${at}.${field}`);
      }
      if (Object.keys(match).length === 0) throw new RuleError(`${at} names no field to match`);
      return { kind, match };
    }
    case 'rewrite': {
      if (typeof value === 'string') {
        const builtIn = BUILT_IN_REWRITES[value];
        if (!builtIn)
          throw new RuleError(
            `${at}: no built-in rewrite "${value}" (known: ${Object.keys(BUILT_IN_REWRITES).join(', ')})`,
          );
        return { kind, edits: builtIn };
      }
      const r = mapping(value, at);
      allowKeys(r, ['pattern', 'replace', 'field'], at);
      if (typeof r.replace !== 'string') throw new RuleError(`${at}.replace must be text`);
      let fields = [...REWRITE_FIELDS];
      if (r.field !== undefined) {
        if (!REWRITE_FIELDS.includes(r.field as RewriteField))
          throw new RuleError(`${at}.field must be one of ${REWRITE_FIELDS.join(', ')}`);
        fields = [r.field as RewriteField];
      }
      const pattern = compilePattern(r.pattern, `${at}.pattern`, 'g');
      const replace = r.replace;
      return { kind, edits: fields.map((field) => ({ field, pattern, replace })) };
    }
    case 'author': {
      const a = mapping(value, at);
      if (a.set !== undefined) {
        allowKeys(a, ['set'], at);
        return { kind, set: text(a.set, `${at}.set`) };
      }
      allowKeys(a, ['from', 'to'], at);
      if (a.from === undefined) throw new RuleError(`${at} needs either set, or from and to`);
      return { kind, from: compilePattern(a.from, `${at}.from`), to: text(a.to, `${at}.to`) };
    }
    default:
      throw new RuleError(`${where}: unknown rule "${kind}" (use include, exclude, rewrite or author)`);
  }
}

/** A plain string is case-insensitive; `/source/flags` keeps its own flags. `extraFlags` are added (g). */
function compilePattern(raw: unknown, where: string, extraFlags = ''): RegExp {
  if (typeof raw !== 'string' || raw === '') throw new RuleError(`${where} must be a non-empty pattern`);
  if (raw.length > MAX_PATTERN_LENGTH)
    throw new RuleError(
      `${where}: pattern is ${raw.length} characters, over the ${MAX_PATTERN_LENGTH} allowed`,
    );
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(raw);
  const source = literal ? literal[1]! : raw;
  const flags = literal ? literal[2]! : 'i';
  if (/[^imsu]/.test(flags)) throw new RuleError(`${where}: flags "${flags}" (allowed: i, m, s, u)`);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch (e) {
    throw new RuleError(`${where}: invalid regular expression: ${(e as Error).message}`);
  }
}

function mapping(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new RuleError(`${where} must be a mapping`);
  return v as Record<string, unknown>;
}
function allowKeys(o: Record<string, unknown>, allowed: string[], where: string): void {
  for (const key of Object.keys(o))
    if (!allowed.includes(key))
      throw new RuleError(`${where}: unknown key "${key}" (use ${allowed.join(', ')})`);
}
function text(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new RuleError(`${where} must be non-empty text`);
  return v;
}

export interface ApplyRulesOptions {
  /** Base for relative URLs a rewrite introduces (the item's own URL wins). */
  feedUrl?: string;
}

/** The items that pass every rule set, transformed by its rewrite and author rules. */
export function applyRules(
  items: FeedItem[],
  ruleSets: readonly (readonly Rule[])[],
  options: ApplyRulesOptions = {},
): FeedItem[] {
  let out = items;
  for (const rules of ruleSets) {
    if (rules.length === 0) continue;
    out = out.flatMap((item) => {
      const transformed = rules.reduce((it, rule) => transform(it, rule, options), item);
      return passesFilters(transformed, rules) ? [transformed] : [];
    });
  }
  return out;
}

function transform(item: FeedItem, rule: Rule, options: ApplyRulesOptions): FeedItem {
  if (rule.kind === 'rewrite') {
    const out = { ...item };
    for (const edit of rule.edits) {
      const { field } = edit;
      const value = out[field];
      if (!value) continue;
      const rewritten = replaceBounded(value, edit);
      if (rewritten === value) continue;
      // HTML is re-sanitized: a rewrite works on sanitized HTML but must never bring in what sanitizing
      // removed. Plain text (a text body, a summary) is shown escaped: it stays as written.
      out[field] =
        field === 'content_html'
          ? sanitizeHtml(rewritten, { baseUrl: item.url ?? options.feedUrl })
          : rewritten;
    }
    return out;
  }
  if (rule.kind !== 'author') return item;
  if ('set' in rule) {
    return item.authors?.some((a) => a.name) ? item : { ...item, authors: [{ name: rule.set }] };
  }
  if (!item.authors?.some((a) => a.name && test(rule.from, a.name))) return item;
  return {
    ...item,
    authors: item.authors.map((a) => (a.name && test(rule.from, a.name) ? { ...a, name: rule.to } : a)),
  };
}

function passesFilters(item: FeedItem, rules: readonly Rule[]): boolean {
  let hasInclude = false;
  let included = false;
  const fields = new FieldText(item);
  for (const rule of rules) {
    if (rule.kind === 'exclude' && matches(rule.match, fields)) return false;
    if (rule.kind === 'include') {
      hasInclude = true;
      included ||= matches(rule.match, fields);
    }
  }
  return !hasInclude || included;
}

/** Every field a rule names must match (AND); several include rules are alternatives (OR). */
function matches(match: Partial<Record<MatchField, RegExp>>, fields: FieldText): boolean {
  for (const [field, pattern] of Object.entries(match) as [MatchField, RegExp][])
    if (!fields.get(field).some((value) => test(pattern, value))) return false;
  return true;
}

/**
 * The text each match field stands for, computed only when a rule asks for it (content costs a parse).
 * Tags and author names are matched one by one, so `^kernel$` means a tag that is exactly "kernel".
 */
class FieldText {
  readonly #item: FeedItem;
  readonly #cache = new Map<MatchField, string[]>();
  constructor(item: FeedItem) {
    this.#item = item;
  }
  get(field: MatchField): string[] {
    let value = this.#cache.get(field);
    if (value === undefined) {
      value = fieldText(this.#item, field);
      this.#cache.set(field, value);
    }
    return value;
  }
}

function fieldText(item: FeedItem, field: MatchField): string[] {
  switch (field) {
    case 'title':
      return [item.title ?? ''];
    case 'author':
      return (item.authors ?? []).flatMap((a) => (a.name ? [a.name] : []));
    case 'tags':
      return item.tags ?? [];
    case 'content': {
      const html = item.content_html ? htmlToText(bounded(item.content_html)) : '';
      return [[html, item.content_text, item.summary].filter(Boolean).join('\n')];
    }
  }
}

function bounded(s: string): string {
  return s.length > MAX_FIELD_CHARS ? s.slice(0, MAX_FIELD_CHARS) : s;
}
function test(pattern: RegExp, s: string): boolean {
  return pattern.test(bounded(s));
}
function replaceBounded(s: string, { pattern, replace, tail }: RewriteEdit): string {
  if (tail !== undefined && s.length > tail) {
    const cut = s.length - tail;
    return s.slice(0, cut) + s.slice(cut).replace(pattern, replace);
  }
  if (s.length <= MAX_FIELD_CHARS) return s.replace(pattern, replace);
  return s.slice(0, MAX_FIELD_CHARS).replace(pattern, replace) + s.slice(MAX_FIELD_CHARS);
}
