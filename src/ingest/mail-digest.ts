/**
 * When to mail the digest (config `email:`), and of what: posts first stored since a point in time.
 *
 * - `per-refresh`: after each refresh pass that stored new posts, the posts that pass stored.
 * - `daily`: at most once a day, the posts stored since the last digest window closed.
 *
 * The daily window's end is kept in a small JSON file beside the SQLite database (or beside the config
 * file for PostgreSQL): the store has no key–value table, and adding one means a migration in both store
 * engines for a single timestamp. Losing the file costs at most one repeated day, never silence.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { EmailSettings, Settings } from '../config/config.js';
import { buildDigestMail, sendDigestMail } from '../publish/digest-mail.js';
import type { SiteInfo } from '../publish/site.js';
import type { Store, StoredEntry } from '../store/index.js';

const DAY_MS = 86_400_000;
/** Posts in one message; a first refresh of many sources stores thousands, and nobody reads those by mail. */
export const MAX_DIGEST_POSTS = 200;
/** River entries scanned for new ones: the river is ordered by publication date, not by arrival. */
const RIVER_SCAN_LIMIT = 5_000;
const PAGE = 500;

export interface DigestMailerOptions {
  email: EmailSettings;
  site: SiteInfo;
  store: Store;
  log: Logger;
  /** Where the `daily` mode remembers the end of the last digest window. */
  stateFile: string;
  now?: () => Date;
}

export class DigestMailer {
  private readonly now: () => Date;

  constructor(private readonly opts: DigestMailerOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Call after a refresh pass with when it started and how many new entries it stored. Sends the digest
   * when one is due and there is something new; returns how many posts it mailed. Never throws: a mail
   * server that is down is logged and must not stop the refreshing.
   */
  async afterPass(passStartedAt: Date, newEntries: number): Promise<number> {
    try {
      if (this.opts.email.mode === 'per-refresh')
        return newEntries > 0 ? await this.mailSince(passStartedAt, this.now()) : 0;
      const now = this.now();
      const windowStart = readWindowEnd(this.opts.stateFile) ?? new Date(now.getTime() - DAY_MS);
      if (now.getTime() - windowStart.getTime() < DAY_MS) return 0;
      const mailed = await this.mailSince(windowStart, now);
      // Written after a send succeeded (or when there was nothing to send): a failed send retries next pass.
      writeWindowEnd(this.opts.stateFile, now);
      return mailed;
    } catch (e) {
      this.opts.log.error({ error: (e as Error).message }, 'digest mail not sent');
      return 0;
    }
  }

  private async mailSince(since: Date, until: Date): Promise<number> {
    const { store, site, email, log } = this.opts;
    const entries = await entriesFirstSeenBetween(store, since, until);
    const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
    const mail = buildDigestMail({ site, entries, sources, now: until }, email);
    if (!mail) return 0;
    await sendDigestMail(email.smtpUrl, mail);
    log.info({ to: mail.to, posts: entries.length }, `digest mailed: ${mail.subject}`);
    return entries.length;
  }
}

/** The mailer `settings` ask for, or undefined when they have no `email:` section. */
export function digestMailerFor(settings: Settings, store: Store, log: Logger): DigestMailer | undefined {
  if (!settings.email) return undefined;
  return new DigestMailer({
    email: settings.email,
    site: settings.site,
    store,
    log,
    stateFile: digestStateFile(settings),
  });
}

/** `<db>.digest.json` beside a SQLite file; `tributary.digest.json` beside the config file otherwise. */
export function digestStateFile(settings: Settings): string {
  const sqlite = settings.database.replace(/^sqlite:(\/\/)?/i, '');
  if (!/^[a-z]+:/i.test(sqlite) && sqlite !== ':memory:') return `${resolve(sqlite)}.digest.json`;
  return resolve(settings.file ? dirname(settings.file) : '.', 'tributary.digest.json');
}

/** Entries first stored in [since, until), newest first, at most MAX_DIGEST_POSTS. */
export async function entriesFirstSeenBetween(
  store: Store,
  since: Date,
  until: Date,
): Promise<StoredEntry[]> {
  const found: StoredEntry[] = [];
  let page = await store.river({ limit: PAGE });
  for (let scanned = 0; scanned < RIVER_SCAN_LIMIT; ) {
    for (const entry of page.entries) {
      const seen = entry.firstSeenAt.getTime();
      if (seen >= since.getTime() && seen < until.getTime()) found.push(entry);
    }
    scanned += page.entries.length;
    if (!page.next || found.length >= MAX_DIGEST_POSTS) break;
    page = await store.river({ limit: PAGE, before: page.next });
  }
  return found.slice(0, MAX_DIGEST_POSTS);
}

function readWindowEnd(file: string): Date | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined; // first run: no digest sent yet
  }
  let at: Date;
  try {
    at = new Date((JSON.parse(raw) as { windowEnd?: string }).windowEnd ?? '');
  } catch {
    return undefined; // a damaged file: start a fresh day rather than never mail again
  }
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function writeWindowEnd(file: string, at: Date): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ windowEnd: at.toISOString() })}\n`);
  renameSync(tmp, file);
}
