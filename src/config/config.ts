/**
 * Tributary's settings: one YAML file (site, database, fetching, sources), overridable from the environment
 * as twelve-factor deployments expect. Documented in README.md ("Configuration").
 *
 * Precedence: command-line flag > environment > config file > built-in default.
 *   TRIBUTARY_CONFIG                   the config file (default ./tributary.yaml; absent → the bundled sources)
 *   TRIBUTARY_DATABASE_URL             sqlite file path, `sqlite:PATH`, or `postgres://…`
 *   TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1 allow fetching loopback/private addresses (tests, intranets)
 *   TRIBUTARY_LEASE_SECONDS            how long a worker's claim on a due source lasts (read by `run`/`worker`)
 *   TRIBUTARY_IMAGE_PROXY_SECRET       the image proxy's signing key (else the one the database holds)
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_IMAGE_PROXY_MODE, type ImageProxyMode } from '../publish/image-routing.js';
import { DEFAULT_SOURCES } from './defaults.js';
import { readConfig } from './read-config.js';
import { yamlPackage } from './yaml-package.js';

export interface SourceConfig {
  url: string;
  /** Display name; the feed's own title is used when absent. */
  name?: string;
  /** Attribution override when entries carry no author. */
  author?: string;
  /** Per-source rules, as written (validated); compile with `compileRules` (content/rules.ts). */
  rules?: unknown[];
  /** `/`-paths (`Tech/Linux`) the source is listed under: its `/categories/…` pages and OPML folders. */
  categories?: string[];
  /** The face shown beside its posts: an http(s) image URL, or an image file in the theme directory. */
  face?: string;
  /** The person it belongs to: sources with the same person are one person on `/people`. */
  person?: string;
  /** The home page shown for it, over the one the feed names. */
  homepage?: string;
  /** The other keys of the entry (`full_article`; schema.ts lists them all), kept as the source's options. */
  [option: string]: unknown;
}

export interface Settings {
  /** `backlogDays`: a new source's posts older than this on its first fetch stay off the river;
   * `imageProxy`: which posts' images pages load through this site (publish/image-routing.ts);
   * `publicHealth: false`: /sources shows no error text or fetch timings; `theme`: a built-in theme's name
   * (BUILT_IN_THEME_NAMES) or a theme folder, made absolute against the config file's folder. */
  site: {
    title: string;
    url?: string;
    description?: string;
    listen: string;
    backlogDays: number;
    imageProxy: ImageProxyMode;
    publicHealth?: boolean;
    theme?: string;
  };
  database: string;
  fetch: {
    userAgent?: string;
    timeoutSeconds: number;
    maxBodyMb: number;
    concurrency: number;
    perHostConcurrency: number;
    allowPrivateNetworks: boolean;
    /** Threads that parse and sanitize fetched feeds; 0 = the main thread; undefined = defaultParseThreads. */
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
  /** TRIBUTARY_IMAGE_PROXY_SECRET (never read from the file): overrides the key the database holds. */
  imageProxySecret?: string;
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
/** `site.theme` values that name a built-in theme (server/theme/theme.ts), not a folder; `./planet` is one. */
export const BUILT_IN_THEME_NAMES: readonly string[] = ['default', 'planet'];
/** The WebSub lease asked of hubs: ten days, a common hub default (hubs may grant less). */
const DEFAULT_WEBSUB_LEASE_SECONDS = 864_000;

function defaults(): Settings {
  return {
    site: {
      title: 'Tributary',
      description: 'One river of posts from many feeds.',
      listen: '127.0.0.1:8080',
      backlogDays: 14,
      imageProxy: DEFAULT_IMAGE_PROXY_MODE,
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
  return withEnvironment(settings, env);
}

/** What runs without a config file: the built-in settings and bundled sources, with the environment's
 * overrides. */
export function builtInSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return withEnvironment(defaults(), env);
}

function withEnvironment(settings: Settings, env: NodeJS.ProcessEnv): Settings {
  if (env.TRIBUTARY_DATABASE_URL) settings.database = env.TRIBUTARY_DATABASE_URL;
  if (env.TRIBUTARY_IMAGE_PROXY_SECRET) settings.imageProxySecret = env.TRIBUTARY_IMAGE_PROXY_SECRET;
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

/** Applies the file over the defaults: its mappings merge into theirs, its lists replace theirs. Every
 * problem in the file is reported at once, each with its line. */
function applyFile(settings: Settings, path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${path}: ${(e as Error).message}`);
  }
  const { value, problems } = readConfig(text);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${path}:${p.line}: ${p.message}`);
    throw new ConfigError(
      lines.length === 1 ? lines[0]! : `config ${path} has ${lines.length} errors:\n  ${lines.join('\n  ')}`,
    );
  }
  merge(settings as unknown as Record<string, unknown>, value);
  if (settings.email) settings.email.mode ??= 'per-refresh';
  // A theme folder is relative to the config file, so the same file works from any directory.
  const { theme } = settings.site;
  if (theme !== undefined && !BUILT_IN_THEME_NAMES.includes(theme))
    settings.site.theme = resolve(dirname(path), theme);
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (isMapping(value) && isMapping(current)) merge(current, value);
    else target[key] = value;
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rewrites the sources list of a config file, keeping the rest of the file (comments included) as it was;
 * a file that does not exist yet is written as the starter config holding `sources`. Written to a temporary
 * file and renamed, so a crash never leaves half a config. */
export function saveSources(path: string, sources: SourceConfig[]): void {
  let text = starterConfig(sources);
  if (existsSync(path)) {
    const doc = yamlPackage().parseDocument(readFileSync(path, 'utf8'));
    if (doc.errors.length > 0) throw new ConfigError(`cannot update ${path}: ${doc.errors[0]!.message}`);
    // An empty file has no contents: set() makes them a mapping (any other top level fails to load).
    doc.set('sources', doc.createNode(sources.map((s) => ({ ...s }))));
    text = doc.toString();
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** A starter config file holding `sources`: the bundled ones for `tributary init`. */
export function starterConfig(sources: SourceConfig[] = DEFAULT_SOURCES): string {
  const d = defaults();
  return `# Tributary configuration. Every setting can be left out; environment variables override:
# TRIBUTARY_DATABASE_URL, TRIBUTARY_ALLOW_PRIVATE_NETWORKS=1, TRIBUTARY_CONFIG (this file).
site:
  title: ${JSON.stringify(d.site.title)}
  description: ${JSON.stringify(d.site.description)}
  # The address readers use (https://planet.example.org/): feeds and OPML link to it. This one is where
  # \`tributary run\` serves the site on this machine; change it when the site is published elsewhere.
  url: ${JSON.stringify(`http://${d.site.listen}/`)}
  listen: ${JSON.stringify(d.site.listen)}
  # image_proxy: http   # off | http | all: which post images load through this site (README "Images")
# SQLite file (relative to this file), sqlite:PATH, or postgres://user@host/db
database: ${JSON.stringify(d.database)}
fetch:
  timeout_seconds: ${d.fetch.timeoutSeconds}
  max_body_mb: ${d.fetch.maxBodyMb}
  concurrency: ${d.fetch.concurrency}
  per_host_concurrency: ${d.fetch.perHostConcurrency}
  allow_private_networks: false
  # parse_threads: 2   # threads parsing and sanitizing fetched feeds (default: one per CPU; refresh: CPUs - 1; 0 = none)
# Rules for every source (a source can have its own \`rules:\` too); see README "Rules".
rules:
  - rewrite: strip-wordpress-footer
# email: { smtp_url: smtp://127.0.0.1:25, from: "Planet <planet@example.org>", to: [you@example.org], mode: daily }
# websub: { callback_base: https://planet.example.org/, hub: https://pubsubhubbub.appspot.com/ }
# Each source: url, and optionally name (display name), author (attribution when posts name none),
# full_article: true (fetch whole articles for excerpt-only feeds), rules, and for /people: person (feeds
# with the same person are grouped), face (an image URL) and homepage.
${yamlPackage().stringify({ sources })}`;
}
