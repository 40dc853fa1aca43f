/**
 * Tributary's settings: one YAML file (site, database, fetching, sources), overridable from the environment
 * as twelve-factor deployments expect. Documented in README.md ("Configuration").
 *
 * Precedence: command-line flag > environment > config file > built-in default.
 *   TRIBUTARY_CONFIG                   the config file (default ./tributary.yaml; absent → the bundled sources)
 *   TRIBUTARY_DATABASE_URL             sqlite file path, `sqlite:PATH`, or `postgres://…`
 *   TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1 allow fetching loopback/private addresses (tests, intranets)
 *   TRIBUTARY_LEASE_SECONDS            how long a worker's claim on a due source lasts (read by `run`/`worker`)
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import { compileRules, RuleError } from '../content/rules.js';
import { DEFAULT_SOURCES } from './defaults.js';

export interface SourceConfig {
  url: string;
  /** Display name; the feed's own title is used when absent. */
  name?: string;
  /** Attribution override when entries carry no author. */
  author?: string;
  /** Per-source rules, as written (validated); compile with `compileRules` (content/rules.ts). */
  rules?: unknown[];
  /** Per-source options (e.g. `interval_minutes`), kept as given. */
  [option: string]: unknown;
}

export interface Settings {
  /** `backlogDays`: a new source's posts older than this on its first fetch stay off the river. */
  site: { title: string; url?: string; description?: string; listen: string; backlogDays: number };
  database: string;
  fetch: {
    userAgent?: string;
    timeoutSeconds: number;
    maxBodyMb: number;
    concurrency: number;
    perHostConcurrency: number;
    allowPrivateNetworks: boolean;
    /** Threads that parse and sanitize fetched feeds; 0 = the main thread; undefined = one per CPU. */
    parseThreads?: number;
  };
  sources: SourceConfig[];
  /** Global rules, as written (validated): applied to every source's items before the source's own rules. */
  rules?: unknown[];
  /** Mail the digest of new posts (`email:`); absent, no mail is sent. */
  email?: EmailSettings;
  /** WebSub: `callbackBase` (this server's public URL) enables subscribing; `hub` is advertised and pinged. */
  websub?: { callbackBase?: string; hub?: string; leaseSeconds: number };
  /** The file these settings came from; undefined when running on the built-in defaults. */
  file?: string;
}

export interface EmailSettings {
  /** `smtp://host:port`, or `smtps://user:password@host` (see nodemailer's SMTP transport). */
  smtpUrl: string;
  from: string;
  to: string[];
  /** `per-refresh`: after each pass that stored new posts; `daily`: at most once a day, what arrived since. */
  mode: 'per-refresh' | 'daily';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_CONFIG_FILE = 'tributary.yaml';
/** The WebSub lease asked of hubs: ten days, a common hub default (hubs may grant less). */
const DEFAULT_WEBSUB_LEASE_SECONDS = 864_000;

function defaults(): Settings {
  return {
    site: {
      title: 'Tributary',
      description: 'One river of posts from many feeds.',
      listen: '127.0.0.1:8080',
      backlogDays: 14,
    },
    database: 'tributary.db',
    fetch: {
      timeoutSeconds: 30,
      maxBodyMb: 16,
      concurrency: 16,
      perHostConcurrency: 2,
      allowPrivateNetworks: false,
    },
    sources: DEFAULT_SOURCES.map((s) => ({ ...s })),
    rules: [],
    websub: { leaseSeconds: DEFAULT_WEBSUB_LEASE_SECONDS },
  };
}

/** Loads settings. `file` (from --config) wins over TRIBUTARY_CONFIG; a missing default file means defaults. */
export function loadSettings(file?: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const explicit = file ?? env.TRIBUTARY_CONFIG;
  const path = resolve(explicit ?? DEFAULT_CONFIG_FILE);
  const settings = defaults();
  if (existsSync(path)) {
    applyFile(settings, path);
    settings.file = path;
  } else if (explicit) {
    throw new ConfigError(
      `config file ${path} does not exist (create it with \`tributary init --config ${explicit}\`)`,
    );
  }
  if (env.TRIBUTARY_DATABASE_URL) settings.database = env.TRIBUTARY_DATABASE_URL;
  if (env.TRIBUTARY_ALLOW_PRIVATE_NETWORKS !== undefined) {
    settings.fetch.allowPrivateNetworks = /^(1|true|yes)$/i.test(env.TRIBUTARY_ALLOW_PRIVATE_NETWORKS);
  }
  // A relative SQLite path is relative to the config file, so the same file works from any directory.
  if (settings.file && isPlainPath(settings.database) && !env.TRIBUTARY_DATABASE_URL) {
    settings.database = resolve(dirname(settings.file), settings.database);
  }
  return settings;
}

function isPlainPath(db: string): boolean {
  return !/^[a-z]+:/i.test(db) && db !== ':memory:';
}

function applyFile(settings: Settings, path: string): void {
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read config ${path}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`config ${path}: expected a mapping at the top level`);
  const d = doc as Record<string, unknown>;
  const site = obj(d.site, 'site', path);
  if (site) {
    for (const key of ['title', 'url', 'description', 'listen'] as const) {
      if (site[key] !== undefined) settings.site[key] = string(site[key], `site.${key}`, path);
    }
    if (site.backlog_days !== undefined)
      settings.site.backlogDays = positive(site.backlog_days, 'site.backlog_days', path);
  }
  if (d.database !== undefined) settings.database = string(d.database, 'database', path);
  const fetch = obj(d.fetch, 'fetch', path);
  if (fetch) {
    if (fetch.user_agent !== undefined)
      settings.fetch.userAgent = string(fetch.user_agent, 'fetch.user_agent', path);
    const numbers = [
      ['timeout_seconds', 'timeoutSeconds'],
      ['max_body_mb', 'maxBodyMb'],
      ['concurrency', 'concurrency'],
      ['per_host_concurrency', 'perHostConcurrency'],
    ] as const;
    for (const [yamlKey, key] of numbers) {
      if (fetch[yamlKey] !== undefined)
        settings.fetch[key] = positive(fetch[yamlKey], `fetch.${yamlKey}`, path);
    }
    if (fetch.parse_threads !== undefined) {
      const threads = fetch.parse_threads;
      if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 0 || threads > 64)
        throw new ConfigError(`config ${path}: fetch.parse_threads must be a whole number 0–64`);
      settings.fetch.parseThreads = threads;
    }
    if (fetch.allow_private_networks !== undefined)
      settings.fetch.allowPrivateNetworks = fetch.allow_private_networks === true;
  }
  if (d.sources !== undefined) {
    if (!Array.isArray(d.sources)) throw new ConfigError(`config ${path}: sources must be a list`);
    settings.sources = d.sources.map((s, i) => sourceEntry(s, i, path));
  }
  if (d.rules !== undefined) settings.rules = checkedRules(d.rules, 'rules', path);
  const email = obj(d.email, 'email', path);
  if (email) settings.email = emailSection(email, path);
  const websub = obj(d.websub, 'websub', path);
  if (websub) {
    settings.websub ??= { leaseSeconds: DEFAULT_WEBSUB_LEASE_SECONDS };
    if (websub.callback_base !== undefined)
      settings.websub.callbackBase = checkedUrl(
        string(websub.callback_base, 'websub.callback_base', path),
        'websub.callback_base',
        path,
      );
    if (websub.hub !== undefined)
      settings.websub.hub = checkedUrl(string(websub.hub, 'websub.hub', path), 'websub.hub', path);
    if (websub.lease_seconds !== undefined)
      settings.websub.leaseSeconds = positive(websub.lease_seconds, 'websub.lease_seconds', path);
  }
}

/** Rules stay in their written form (they travel in a source's options through the store); compiling them
 * here only proves they are valid. */
function checkedRules(raw: unknown, where: string, path: string): unknown[] {
  try {
    compileRules(raw, where);
  } catch (e) {
    if (e instanceof RuleError) throw new ConfigError(`config ${path}: ${e.message}`);
    throw e;
  }
  return (raw ?? []) as unknown[];
}

function sourceEntry(raw: unknown, i: number, path: string): SourceConfig {
  if (typeof raw === 'string') return { url: checkedUrl(raw, `sources[${i}]`, path) };
  const o = obj(raw, `sources[${i}]`, path);
  if (!o || typeof o.url !== 'string') throw new ConfigError(`config ${path}: sources[${i}] needs a url`);
  const out: SourceConfig = { ...o, url: checkedUrl(o.url, `sources[${i}].url`, path) };
  for (const key of ['name', 'author'] as const)
    if (o[key] !== undefined) out[key] = string(o[key], `sources[${i}].${key}`, path);
  if (o.rules !== undefined) out.rules = checkedRules(o.rules, `sources[${i}].rules`, path);
  return out;
}

function emailSection(e: Record<string, unknown>, path: string): EmailSettings {
  const smtpUrl = string(e.smtp_url ?? '', 'email.smtp_url', path);
  if (!/^smtps?:\/\/[^/]/i.test(smtpUrl))
    throw new ConfigError(
      `config ${path}: email.smtp_url must be an smtp:// or smtps:// URL, got "${smtpUrl}"`,
    );
  if (e.from === undefined) throw new ConfigError(`config ${path}: email needs a from address`);
  const to = Array.isArray(e.to) ? e.to : e.to === undefined ? [] : [e.to];
  if (to.length === 0) throw new ConfigError(`config ${path}: email needs at least one to address`);
  const mode = e.mode ?? 'per-refresh';
  if (mode !== 'per-refresh' && mode !== 'daily')
    throw new ConfigError(`config ${path}: email.mode must be per-refresh or daily, got "${String(mode)}"`);
  return {
    smtpUrl,
    from: string(e.from, 'email.from', path),
    to: to.map((address, i) => string(address, `email.to[${i}]`, path)),
    mode,
  };
}

function checkedUrl(raw: string, where: string, path: string): string {
  try {
    const u = new URL(raw.trim());
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch {}
  throw new ConfigError(`config ${path}: ${where} is not an http(s) URL: ${raw}`);
}

function obj(v: unknown, where: string, path: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw new ConfigError(`config ${path}: ${where} must be a mapping`);
  return v as Record<string, unknown>;
}
function string(v: unknown, where: string, path: string): string {
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new ConfigError(`config ${path}: ${where} must be text`);
  return String(v);
}
function positive(v: unknown, where: string, path: string): number {
  if (typeof v !== 'number' || !(v > 0))
    throw new ConfigError(`config ${path}: ${where} must be a positive number`);
  return v;
}

/** Rewrites the sources list of a config file, keeping the rest of the file (comments included) as it was.
 * Written to a temporary file and renamed, so a crash never leaves half a config. */
export function saveSources(path: string, sources: SourceConfig[]): void {
  const doc = existsSync(path) ? YAML.parseDocument(readFileSync(path, 'utf8')) : new YAML.Document({});
  if (doc.errors.length > 0) throw new ConfigError(`cannot update ${path}: ${doc.errors[0]!.message}`);
  if (!doc.contents || !YAML.isMap(doc.contents)) doc.contents = doc.createNode({}) as typeof doc.contents;
  doc.set('sources', doc.createNode(sources.map((s) => ({ ...s }))));
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, doc.toString());
  renameSync(tmp, path);
}

/** A starter config file holding the bundled sources, for `tributary init`. */
export function starterConfig(): string {
  const d = defaults();
  return `# Tributary configuration. Every setting can be left out; environment variables override:
# TRIBUTARY_DATABASE_URL, TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1, TRIBUTARY_CONFIG (this file).
site:
  title: ${JSON.stringify(d.site.title)}
  description: ${JSON.stringify(d.site.description)}
  # url: https://planet.example.org/   # public address, used in feeds and OPML
  listen: ${JSON.stringify(d.site.listen)}
# SQLite file (relative to this file), sqlite:PATH, or postgres://user@host/db
database: ${JSON.stringify(d.database)}
fetch:
  timeout_seconds: ${d.fetch.timeoutSeconds}
  max_body_mb: ${d.fetch.maxBodyMb}
  concurrency: ${d.fetch.concurrency}
  per_host_concurrency: ${d.fetch.perHostConcurrency}
  allow_private_networks: false
  # parse_threads: 2   # threads parsing and sanitizing fetched feeds (default: one per CPU; 0 = none)
# Rules for every source (a source can have its own \`rules:\` too); see README "Rules".
rules:
  - rewrite: strip-wordpress-footer
# email: { smtp_url: smtp://127.0.0.1:25, from: "Planet <planet@example.org>", to: [you@example.org], mode: daily }
# websub: { callback_base: https://planet.example.org/, hub: https://pubsubhubbub.appspot.com/ }
# Each source: url, and optionally name (display name), author (attribution when posts name none),
# full_article: true (fetch whole articles for excerpt-only feeds) and rules.
${YAML.stringify({ sources: d.sources })}`;
}
