/**
 * Reads a config file's text along the schema (schema.ts), collecting every problem with its line — YAML
 * syntax, unknown keys (with the nearest valid one), bad values, missing keys — so that one run shows the
 * user all there is to fix.
 */
import { closestMatch } from 'leven';
import YAML, { LineCounter, type Node, type YAMLError } from 'yaml';
import { CONFIG_SPEC, isListSpec, isMapSpec, type ListSpec, type MapSpec, type Spec } from './schema.js';

export interface Problem {
  line: number;
  message: string;
}

/** The config as Settings shapes it (keys renamed, values checked), or the problems found instead. */
export function readConfig(text: string): { value: Record<string, unknown>; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
  // A document with syntax errors has a tree of guesses: keys read from it would only add noise.
  if (doc.errors.length > 0)
    return { value: {}, problems: doc.errors.map((e) => syntaxProblem(e, doc, lines)) };
  if (doc.contents === null) return { value: {}, problems: [] };
  const reader = new Reader(doc, lines);
  if (!YAML.isMap(doc.contents)) {
    reader.problems.push({
      line: reader.line(doc.contents, 1),
      message: 'expected key: value lines at the top',
    });
    return { value: {}, problems: reader.problems };
  }
  const value = reader.read(doc.contents, CONFIG_SPEC, '', 1) as Record<string, unknown>;
  return { value, problems: reader.problems };
}

class Reader {
  readonly problems: Problem[] = [];
  constructor(
    private readonly doc: YAML.Document,
    private readonly lines: LineCounter,
  ) {}

  line(node: unknown, fallback: number): number {
    return YAML.isNode(node) && node.range ? this.lines.linePos(node.range[0]).line : fallback;
  }

  /** `at` is the key path for messages (`sources[2].name`); `line` is where the key was written. */
  read(node: unknown, spec: Spec, at: string, line: number): unknown {
    line = this.line(node, line);
    if (isMapSpec(spec)) return this.#map(node, spec, at, line);
    if (isListSpec(spec)) return this.#list(node, spec, at, line);
    try {
      return spec.check(YAML.isNode(node) ? node.toJS(this.doc) : null, at);
    } catch (e) {
      this.problems.push({ line, message: (e as Error).message });
      return undefined;
    }
  }

  #map(node: unknown, spec: MapSpec, at: string, line: number): Record<string, unknown> | undefined {
    if (spec.shorthand && YAML.isScalar(node) && node.value !== null)
      return { [spec.shorthand]: this.read(node, spec.keys[spec.shorthand]!, at, line) };
    // `site:` with nothing under it is as if absent.
    if (node === null || (YAML.isScalar(node) && node.value === null)) return undefined;
    if (!YAML.isMap(node)) {
      this.problems.push({ line, message: `${at} must be a mapping (key: value lines)` });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = String(YAML.isScalar(pair.key) ? pair.key.value : pair.key);
      const path = at ? `${at}.${key}` : key;
      const keyLine = this.line(pair.key, line);
      const child = spec.keys[key];
      if (!child) {
        this.problems.push({ line: keyLine, message: `unknown key "${path}" ${keyHint(key, spec)}` });
        continue;
      }
      const value = this.read(pair.value, child, path, keyLine);
      if (value !== undefined) out[('to' in child && child.to) || key] = value;
    }
    for (const key of spec.required ?? [])
      if (!node.has(key)) this.problems.push({ line, message: `${at} needs ${key}` });
    return out;
  }

  #list(node: unknown, spec: ListSpec, at: string, line: number): unknown[] | undefined {
    if (!YAML.isSeq(node)) {
      this.problems.push({ line, message: `${at} must be a list (lines starting with "- ")` });
      return undefined;
    }
    return node.items.map((item, i) => this.read(item, spec.items, `${at}[${i}]`, line));
  }
}

/** "(did you mean …?)": the nearest key valid here, else the same key where it is valid, else the list. */
function keyHint(key: string, spec: MapSpec): string {
  const valid = Object.keys(spec.keys);
  const near = closestMatch(key, valid, { maxDistance: Math.max(2, Math.floor(key.length / 3)) });
  if (near) return `(did you mean "${near}"?)`;
  const elsewhere = pathsOf(key, CONFIG_SPEC, '');
  if (elsewhere.length > 0) return `(did you mean "${elsewhere[0]}"?)`;
  return `(valid here: ${valid.join(', ')})`;
}

function pathsOf(key: string, spec: Spec, at: string): string[] {
  if (isListSpec(spec)) return pathsOf(key, spec.items, `${at}[…]`);
  if (!isMapSpec(spec)) return [];
  return Object.entries(spec.keys).flatMap(([k, child]) => {
    const path = at ? `${at}.${k}` : k;
    return [...(k === key ? [path] : []), ...pathsOf(key, child, path)];
  });
}

/**
 * The yaml package reports an unclosed quote or flow collection where the text ran out — often the end of
 * the file. The fault is where it was opened: the quoted scalar or flow collection that ends at the error.
 */
function syntaxProblem(error: YAMLError, doc: YAML.Document, lines: LineCounter): Problem {
  const at = error.pos[0];
  let opened: Node | undefined;
  YAML.visit(doc, (_key, node) => {
    if (!YAML.isNode(node) || !node.range) return;
    const [start, valueEnd, end] = node.range;
    const unclosable =
      (YAML.isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) ||
      (YAML.isCollection(node) && node.flow === true);
    if (unclosable && start < at && at >= valueEnd && at <= end) opened = node;
  });
  const errorLine = lines.linePos(at).line;
  const openLine = opened?.range ? lines.linePos(opened.range[0]).line : errorLine;
  if (openLine === errorLine) return { line: errorLine, message: error.message };
  return { line: openLine, message: `${error.message}: the value that starts on this line is never closed` };
}
