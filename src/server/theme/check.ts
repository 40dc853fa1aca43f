/**
 * The rules every template is held to at start, built-in or a theme's (so a theme's mistake stops `serve`,
 * `run` or `build` with its file and line, never a request): it parses and compiles; it outputs raw HTML
 * only through `include('@name', …)`, the layout's `it.body` and `it.raw.postHtml(post)` (the body the
 * content stage sanitized); it leaves alone Eta's other ways to write unescaped (`output()`, `__eta`,
 * `this`, layouts and blocks); it includes templates that exist and names theme files that exist.
 * The checks read the template's tags through Eta's own parser, so quoting and comments are Eta's.
 */
import vm from 'node:vm';
import { Eta, EtaParseError } from 'eta/core';
import { closestMatch } from 'leven';

export interface Problem {
  line: number;
  message: string;
}

export interface CheckContext {
  /** Template names a template may include (`@post`). */
  templates: ReadonlySet<string>;
  /** Files of the theme `it.links.theme('…')` may name. */
  assets: ReadonlySet<string>;
  /** `it.body` (the rendered page) is the layout's alone. */
  isLayout: boolean;
}

/** A tag of a parsed template: `e` exec (`<% %>`), `i` interpolate (`<%= %>`), `r` raw (`<%~ %>`). */
interface Tag {
  t: string;
  val: string;
  lineNo: number;
}

// debug: Eta notes each tag's line, which both the checks and the compiled code's `__eta.line=` carry.
const eta = new Eta({ autoEscape: true, debug: true });

/** Eta's unescaped channels and the template's own `this` (its config: `this.config.autoEscape`). */
const FORBIDDEN =
  /(?<![\w$.])(__eta\w*|this|output|layout|block|blockAsync|capture|captureAsync|includeAsync)\b/;
const INCLUDE = /(?<![\w$.])include\s*\(\s*(?:(['"`])([^'"`]*)\1)?/g;
const THEME_FILE = /\blinks\.theme\s*\(\s*(['"`])([^'"`]*)\1/g;

export function checkTemplate(source: string, context: CheckContext): Problem[] {
  let tags: Tag[];
  try {
    tags = eta.parse(source).filter((part): part is Tag => typeof part !== 'string');
  } catch (e) {
    if (!(e instanceof EtaParseError)) throw e;
    const at = /at line (\d+) col (\d+)/.exec(e.message);
    return [{ line: Number(at?.[1] ?? 1), message: e.message.split('\n')[0]!.replace(/ at line .*/, '') }];
  }
  const problems = tags.flatMap((tag) =>
    checkTag(tag, context).map((message) => ({ line: tag.lineNo, message })),
  );
  const syntax = syntaxProblem(source);
  return syntax ? [...problems, syntax] : problems;
}

function checkTag({ t, val }: Tag, context: CheckContext): string[] {
  const problems: string[] = [];
  const code = withoutComments(val).trim();
  const bare = withoutStrings(code);
  const forbidden = FORBIDDEN.exec(bare);
  if (forbidden)
    problems.push(
      `\`${forbidden[1]}\` is not available to templates: it writes unescaped output (print values with <%= %>)`,
    );
  for (const [, quote, name] of code.matchAll(INCLUDE)) {
    if (quote === undefined)
      problems.push("include() takes a template name in quotes, as in include('@post', {})");
    else if (!context.templates.has(name!))
      problems.push(`include('${name}'): ${unknown(name!, context.templates)}`);
  }
  for (const [, , file] of code.matchAll(THEME_FILE)) {
    if (!context.assets.has(file!))
      problems.push(
        `links.theme('${file}'): the theme folder has no such file (${hint(file!, context.assets)})`,
      );
  }
  if (t === 'r' && !rawAllowed(code, context.isLayout))
    problems.push(
      `raw output <%~ ${code} %> is refused: print values with <%= %> (escaped); raw output is only for ` +
        "include('@name', {…}), it.raw.postHtml(post) (the sanitized post body)" +
        (context.isLayout ? ' and it.body' : ''),
    );
  return problems;
}

function rawAllowed(code: string, isLayout: boolean): boolean {
  return (
    (isLayout && code === 'it.body') || wholeCall(code, 'include(') || wholeCall(code, 'it.raw.postHtml(')
  );
}

/** `code` is one call of `callee(`, closed by its last character: `include('@a', {}) + it.x` is not. */
function wholeCall(code: string, callee: string): boolean {
  if (!code.startsWith(callee)) return false;
  const bare = withoutStrings(code);
  let depth = 0;
  for (let i = callee.length - 1; i < bare.length; i++) {
    if (bare[i] === '(') depth++;
    else if (bare[i] === ')' && --depth === 0) return i === bare.length - 1;
  }
  return false;
}

/** The code with each string literal's contents blanked (same length), so brackets and names in text don't count. */
function withoutStrings(code: string): string {
  return code.replace(
    /(['"`])(?:\\[\s\S]|(?!\1)[^\\])*\1/g,
    (s) => `${s[0]}${' '.repeat(s.length - 2)}${s[0]}`,
  );
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/**
 * A JavaScript syntax error in the template's code, at its template line: the compiled function is parsed
 * (never run) as a script, whose error names a line of the compiled code; the `__eta.line=N` Eta wrote
 * before that line says which tag it came from.
 */
function syntaxProblem(source: string): Problem | undefined {
  const code = eta.compileToString(source);
  try {
    new vm.Script(`(function (it, options) {\n${code}\n})`, { filename: 'template' });
    return undefined;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const compiledLine = Number(/^template:(\d+)/.exec(e.stack ?? '')?.[1] ?? 0);
    const before = code.split('\n').slice(0, Math.max(0, compiledLine - 1));
    const marks = before.flatMap((l) => /^__eta\.line=(\d+)$/.exec(l)?.[1] ?? []);
    return { line: Number(marks.at(-1) ?? 1), message: `JavaScript syntax error: ${e.message}` };
  }
}

function unknown(name: string, names: ReadonlySet<string>): string {
  return `there is no template ${name} (${hint(name, names)})`;
}

function hint(name: string, names: ReadonlySet<string>): string {
  const near = closestMatch(name, [...names], { maxDistance: Math.max(2, Math.floor(name.length / 3)) });
  return near ? `did you mean '${near}'?` : `known: ${[...names].join(', ') || 'none'}`;
}
