/**
 * The one declaration of what a config file may hold: every key, how its value is checked, and where it
 * lands in `Settings`. The reader (read-config.ts) walks the YAML document along it, so a key this file
 * does not declare is an error, never silently ignored; the README's examples are tested against it.
 */
import { compileRule, RuleError } from '../content/rules.js';
import { IMAGE_PROXY_MODES, type ImageProxyMode } from '../publish/image-routing.js';
import { categoryPath } from './categories.js';

/** Checks one value; returns what Settings keeps, or throws an Error whose message names `at`. */
export type Check = (value: unknown, at: string) => unknown;

/** A value. `to` is its Settings key when that differs from the YAML key (`timeout_seconds` → `timeoutSeconds`). */
export interface Leaf {
  check: Check;
  to?: string;
}
/** A mapping of known keys. `shorthand`: a plain value written instead of the mapping stands for this key
 * (`- https://…` for `- url: https://…`). */
export interface MapSpec {
  keys: Readonly<Record<string, Spec>>;
  required?: readonly string[];
  shorthand?: string;
}
export interface ListSpec {
  items: Spec;
}
export type Spec = Leaf | MapSpec | ListSpec;

export const isMapSpec = (spec: Spec): spec is MapSpec => 'keys' in spec;
export const isListSpec = (spec: Spec): spec is ListSpec => 'items' in spec;

const text: Check = (v, at) => {
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${at} must be text`);
  return String(v);
};
const positive: Check = (v, at) => {
  if (typeof v !== 'number' || !(v > 0)) throw new Error(`${at} must be a positive number`);
  return v;
};
const boolean: Check = (v, at) => {
  if (typeof v !== 'boolean') throw new Error(`${at} must be true or false`);
  return v;
};
const httpUrl: Check = (v, at) => {
  const raw = text(v, at) as string;
  try {
    const u = new URL(raw.trim());
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch {}
  throw new Error(`${at} is not an http(s) URL: ${raw}`);
};
const threads: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 64)
    throw new Error(`${at} must be a whole number 0–64`);
  return v;
};
const smtpUrl: Check = (v, at) => {
  const raw = text(v, at) as string;
  if (!/^smtps?:\/\/[^/]/i.test(raw))
    throw new Error(`${at} must be an smtp:// or smtps:// URL, got "${raw}"`);
  return raw;
};
/** One address or a list of them. */
const addresses: Check = (v, at) => {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new Error(`${at} needs at least one address`);
  return list.map((a, i) => text(a, `${at}[${i}]`));
};
const imageProxyMode: Check = (v, at) => {
  if (!IMAGE_PROXY_MODES.includes(v as ImageProxyMode))
    throw new Error(`${at} must be off, http or all, got "${String(v)}"`);
  return v;
};
const mailMode: Check = (v, at) => {
  if (v !== 'per-refresh' && v !== 'daily')
    throw new Error(`${at} must be per-refresh or daily, got "${String(v)}"`);
  return v;
};
/** Rules stay in their written form (they travel in a source's options through the store); compiling one
 * here only proves it valid. */
const rule: Check = (v, at) => {
  try {
    compileRule(v, at);
  } catch (e) {
    if (e instanceof RuleError) throw new Error(e.message);
    throw e;
  }
  return v;
};

/** A `/`-path, tidied (categories.ts). OPML writes several in one attribute, separated by commas. */
const category: Check = (v, at) => {
  const path = categoryPath(text(v, at) as string);
  if (!path) throw new Error(`${at} is empty`);
  if (path.includes(','))
    throw new Error(`${at} cannot contain a comma (OPML separates categories with commas): "${path}"`);
  return path;
};

/** A person's name: text with something in it. */
const name: Check = (v, at) => {
  const value = (text(v, at) as string).trim();
  if (!value) throw new Error(`${at} is empty`);
  return value;
};

/** A source's face: an http(s) image URL, or an image file in the theme directory, named relative to it
 * (`faces/jo.png`), so that it can never name a file outside the theme or a URL of another scheme. */
export const face: Check = (v, at) => {
  const raw = (text(v, at) as string).trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return httpUrl(raw, at);
  const segments = raw.split('/');
  if (raw === '' || raw.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(
      `${at} must be an http(s) image URL or a file name in the theme directory (like faces/jo.png, without .. or a leading /), got "${raw}"`,
    );
  }
  return raw;
};

const leaf = (check: Check, to?: string): Leaf => (to ? { check, to } : { check });
const rules: ListSpec = { items: leaf(rule) };

/** Every key a source may carry in the config; each becomes one of the source's options. */
export const SOURCE_SPEC: MapSpec = {
  keys: {
    url: leaf(httpUrl),
    name: leaf(text),
    author: leaf(text),
    full_article: leaf(boolean),
    rules,
    categories: { items: leaf(category) },
    face: leaf(face),
    person: leaf(name),
    homepage: leaf(httpUrl),
  },
  required: ['url'],
  shorthand: 'url',
};

export const CONFIG_SPEC: MapSpec = {
  keys: {
    site: {
      keys: {
        title: leaf(text),
        url: leaf(text),
        description: leaf(text),
        listen: leaf(text),
        backlog_days: leaf(positive, 'backlogDays'),
        image_proxy: leaf(imageProxyMode, 'imageProxy'),
        public_health: leaf(boolean, 'publicHealth'),
        theme: leaf(text),
      },
    },
    database: leaf(text),
    fetch: {
      keys: {
        user_agent: leaf(text, 'userAgent'),
        timeout_seconds: leaf(positive, 'timeoutSeconds'),
        max_body_mb: leaf(positive, 'maxBodyMb'),
        concurrency: leaf(positive),
        per_host_concurrency: leaf(positive, 'perHostConcurrency'),
        allow_private_networks: leaf(boolean, 'allowPrivateNetworks'),
        parse_threads: leaf(threads, 'parseThreads'),
      },
    },
    sources: { items: SOURCE_SPEC },
    rules,
    email: {
      keys: {
        smtp_url: leaf(smtpUrl, 'smtpUrl'),
        from: leaf(text),
        to: leaf(addresses),
        mode: leaf(mailMode),
      },
      required: ['smtp_url', 'from', 'to'],
    },
    websub: {
      keys: {
        callback_base: leaf(httpUrl, 'callbackBase'),
        hub: leaf(httpUrl),
        lease_seconds: leaf(positive, 'leaseSeconds'),
      },
    },
  },
};
