/**
 * Reads a config file's text along the schema (schema.ts), collecting every problem with its line — YAML
 * syntax, unknown keys (with the nearest valid one), bad values, missing keys — so that one run shows the
 * user all there is to fix.
 *
 * Two passes, because line positions are dear: the `yaml` package's document API (which knows where each
 * node was written) took 3–4 s for a 100,000-source file, paid by every command. js-yaml reads the same
 * YAML 1.2 core schema into plain values in a tenth of that; the schema walk runs over those, and only a
 * file with a problem is read again as a document, to say on which line each problem is.
 */
import { load } from 'js-yaml';
import { closestMatch } from 'leven';
import type { Document, LineCounter, Node, YAMLError } from 'yaml';
import { CONFIG_SPEC, isListSpec, isMapSpec, type ListSpec, type MapSpec, type Spec } from './schema.js';
import { yamlPackage } from './yaml-package.js';

export interface Problem {
  line: number;
  message: string;
}

type Read = { value: Record<string, unknown>; problems: Problem[] };

/** The config as Settings shapes it (keys renamed, values checked), or the problems found instead. */
export function readConfig(text: string): Read {
  let plain: unknown;
  try {
    plain = load(text);
  } catch {
    return readDocument(text); // a syntax error (or an empty file): the document reader says where
  }
  const fast = readTree(PLAIN, plain);
  return fast.problems.length === 0 ? fast : readDocument(text);
}

function readDocument(text: string): Read {
  const YAML = yamlPackage();
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
  // A document with syntax errors has a tree of guesses: keys read from it would only add noise.
  if (doc.errors.length > 0)
    return { value: {}, problems: doc.errors.map((e) => syntaxProblem(e, doc, lines)) };
  return readTree(documentTree(doc, lines), doc.contents);
}

function readTree(tree: Tree, top: unknown): Read {
  if (tree.isNull(top)) return { value: {}, problems: [] };
  const reader = new Reader(tree);
  if (!tree.pairs(top)) {
    reader.problems.push({ line: tree.line(top, 1), message: 'expected key: value lines at the top' });
    return { value: {}, problems: reader.problems };
  }
  const value = reader.read(top, CONFIG_SPEC, '', 1) as Record<string, unknown>;
  return { value, problems: reader.problems };
}

/** What the reader asks of a parsed YAML tree: plain values (no lines) or the `yaml` package's nodes. */
interface Tree {
  /** Where the node was written, else `fallback`. */
  line(node: unknown, fallback: number): number;
  /** The node's key/value pairs, or undefined when it is not a mapping. */
  pairs(node: unknown): { key: string; keyNode: unknown; value: unknown }[] | undefined;
  /** The node's items, or undefined when it is not a list. */
  items(node: unknown): unknown[] | undefined;
  /** The node's value as plain JavaScript. */
  value(node: unknown): unknown;
  /** A scalar (not a mapping or a list). */
  isScalar(node: unknown): boolean;
  /** Absent, or written as nothing / `null` / `~`. */
  isNull(node: unknown): boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const PLAIN: Tree = {
  line: (_node, fallback) => fallback,
  pairs: (node) =>
    isObject(node) ? Object.entries(node).map(([key, value]) => ({ key, keyNode: key, value })) : undefined,
  items: (node) => (Array.isArray(node) ? node : undefined),
  value: (node) => node ?? null,
  isScalar: (node) => node === null || node === undefined || typeof node !== 'object',
  isNull: (node) => node === null || node === undefined,
};

function documentTree(doc: Document, lines: LineCounter): Tree {
  const YAML = yamlPackage();
  return {
    line: (node, fallback) =>
      YAML.isNode(node) && node.range ? lines.linePos(node.range[0]).line : fallback,
    pairs: (node) =>
      YAML.isMap(node)
        ? node.items.map((pair) => ({
            key: String(YAML.isScalar(pair.key) ? pair.key.value : pair.key),
            keyNode: pair.key,
            value: pair.value,
          }))
        : undefined,
    items: (node) => (YAML.isSeq(node) ? node.items : undefined),
    value: (node) => (YAML.isNode(node) ? node.toJS(doc) : null),
    isScalar: (node) => node === null || YAML.isScalar(node),
    isNull: (node) => node === null || (YAML.isScalar(node) && node.value === null),
  };
}

class Reader {
  readonly problems: Problem[] = [];
  constructor(private readonly tree: Tree) {}

  /** `at` is the key path for messages (`sources[2].name`); `line` is where the key was written. */
  read(node: unknown, spec: Spec, at: string, line: number): unknown {
    line = this.tree.line(node, line);
    if (isMapSpec(spec)) return this.#map(node, spec, at, line);
    if (isListSpec(spec)) return this.#list(node, spec, at, line);
    try {
      return spec.check(this.tree.value(node), at);
    } catch (e) {
      this.problems.push({ line, message: (e as Error).message });
      return undefined;
    }
  }

  #map(node: unknown, spec: MapSpec, at: string, line: number): Record<string, unknown> | undefined {
    if (spec.shorthand && this.tree.isScalar(node) && !this.tree.isNull(node))
      return { [spec.shorthand]: this.read(node, spec.keys[spec.shorthand]!, at, line) };
    // `site:` with nothing under it is as if absent.
    if (this.tree.isNull(node)) return undefined;
    const pairs = this.tree.pairs(node);
    if (!pairs) {
      this.problems.push({ line, message: `${at} must be a mapping (key: value lines)` });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const { key, keyNode, value: valueNode } of pairs) {
      const path = at ? `${at}.${key}` : key;
      const keyLine = this.tree.line(keyNode, line);
      const child = spec.keys[key];
      if (!child) {
        this.problems.push({ line: keyLine, message: `unknown key "${path}" ${keyHint(key, spec)}` });
        continue;
      }
      const value = this.read(valueNode, child, path, keyLine);
      if (value !== undefined) out[('to' in child && child.to) || key] = value;
    }
    for (const key of spec.required ?? [])
      if (!pairs.some((p) => p.key === key)) this.problems.push({ line, message: `${at} needs ${key}` });
    return out;
  }

  #list(node: unknown, spec: ListSpec, at: string, line: number): unknown[] | undefined {
    const items = this.tree.items(node);
    if (!items) {
      this.problems.push({ line, message: `${at} must be a list (lines starting with "- ")` });
      return undefined;
    }
    return items.map((item, i) => this.read(item, spec.items, `${at}[${i}]`, line));
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
function syntaxProblem(error: YAMLError, doc: Document, lines: LineCounter): Problem {
  const YAML = yamlPackage();
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
