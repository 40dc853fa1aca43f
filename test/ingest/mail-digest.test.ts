import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { pino } from 'pino';
import { refreshCommand } from '../../src/cli/commands/refresh.js';
import type { EmailSettings } from '../../src/config/config.js';
import { loadSettings } from '../../src/config/config.js';
import { DigestMailer, digestStateFile } from '../../src/ingest/mail-digest.js';
import { type Fixture, NOW, riverFixture, SITE } from '../publish/fixtures.js';
import { type SmtpSink, startSmtpSink } from '../publish/smtp-sink.js';
import { rssFeed, startFeedServer } from './feed-server.js';

// The fixture's river: Ada's 2 posts first seen 30 h before NOW, Grace's 3 at 3 h, the video at 2 h.
let fx: Fixture;
let sink: SmtpSink;
let dir: string;
before(async () => {
  fx = await riverFixture();
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'tributary-mail-'));
});
after(async () => {
  await sink.close();
  await fx.cleanup();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sink.messages.length = 0;
});

const hoursAfterNow = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

function mailer(mode: EmailSettings['mode'], stateFile: string, now: () => Date): DigestMailer {
  return new DigestMailer({
    email: { smtpUrl: sink.url, from: 'planet@example.org', to: ['reader@example.com'], mode },
    site: SITE,
    store: fx.store,
    log: pino({ level: 'silent' }),
    stateFile,
    now,
  });
}

test('per-refresh: a pass that stored posts mails just those; a pass with nothing new mails nothing', async () => {
  const m = mailer('per-refresh', join(dir, 'unused.json'), () => NOW);
  assert.equal(await m.afterPass(hoursAfterNow(-2.5), 1), 1);
  assert.equal(sink.messages.length, 1);
  assert.equal(sink.messages[0]!.headers.get('subject'), 'Planet Test: 1 new post');
  assert.match(sink.messages[0]!.text, /\nA short film\n/);
  assert.doesNotMatch(sink.messages[0]!.text, /Debugging|Analytical engines/);

  assert.equal(await m.afterPass(NOW, 0), 0);
  assert.equal(sink.messages.length, 1, 'no message when nothing is new');
});

test('daily: the first digest holds the last day; no second one the same day; the next day only what is new', async () => {
  const stateFile = join(dir, 'daily.json');
  let now = NOW;
  const m = mailer('daily', stateFile, () => now);
  assert.equal(await m.afterPass(NOW, 4), 4);
  assert.equal(sink.messages[0]!.headers.get('subject'), 'Planet Test: 4 new posts');
  assert.doesNotMatch(sink.messages[0]!.text, /Analytical engines/, 'first seen 30 h ago: outside the day');

  now = hoursAfterNow(12);
  assert.equal(await m.afterPass(now, 3), 0);
  assert.equal(sink.messages.length, 1, 'one digest a day');

  await fx.store.commitFetch(fx.grace.id, {
    outcome: 'ok',
    fetchedAt: hoursAfterNow(20),
    items: [{ id: 'tag:grace.example.net,2024:grace-4', title: 'Next day', content_html: '<p>Fresh.</p>' }],
  });
  now = hoursAfterNow(25);
  assert.equal(await m.afterPass(now, 1), 1);
  assert.equal(sink.messages[1]!.headers.get('subject'), 'Planet Test: 1 new post');
  assert.match(sink.messages[1]!.text, /\nNext day\n/);
  assert.doesNotMatch(sink.messages[1]!.text, /Debugging/);

  now = hoursAfterNow(50);
  assert.equal(await m.afterPass(now, 0), 0, 'nothing arrived since the last digest');
  assert.equal(sink.messages.length, 2);
});

test('daily: the window survives a restart through the state file, and a damaged file starts a fresh day', async () => {
  const stateFile = join(dir, 'restart.json');
  await mailer('daily', stateFile, () => NOW).afterPass(NOW, 4);
  assert.equal(sink.messages.length, 1);
  assert.equal(await mailer('daily', stateFile, () => hoursAfterNow(1)).afterPass(NOW, 1), 0);
  assert.equal(sink.messages.length, 1);
  writeFileSync(stateFile, '{not json');
  assert.equal(await mailer('daily', stateFile, () => NOW).afterPass(NOW, 0), 4);
});

test('a mail server that is down is logged, not thrown, and daily retries on the next pass', async () => {
  const stateFile = join(dir, 'down.json');
  const down = new DigestMailer({
    email: {
      smtpUrl: 'smtp://127.0.0.1:1',
      from: 'planet@example.org',
      to: ['r@example.com'],
      mode: 'daily',
    },
    site: SITE,
    store: fx.store,
    log: pino({ level: 'silent' }),
    stateFile,
    now: () => NOW,
  });
  assert.equal(await down.afterPass(NOW, 4), 0);
  assert.equal(
    await mailer('daily', stateFile, () => NOW).afterPass(NOW, 0),
    4,
    'window not closed by a failure',
  );
});

test('config: the email section is read and checked; the daily state lives beside the SQLite file', () => {
  const file = join(dir, 'tributary.yaml');
  writeFileSync(
    file,
    'database: river.db\nemail:\n  smtp_url: smtp://127.0.0.1:2525\n  from: Planet <p@example.org>\n  to: [a@example.org, b@example.org]\n  mode: daily\n',
  );
  const settings = loadSettings(file, {});
  assert.deepEqual(settings.email, {
    smtpUrl: 'smtp://127.0.0.1:2525',
    from: 'Planet <p@example.org>',
    to: ['a@example.org', 'b@example.org'],
    mode: 'daily',
  });
  assert.equal(digestStateFile(settings), join(dir, 'river.db.digest.json'));
  writeFileSync(
    file,
    'email:\n  smtp_url: http://mail.example.org\n  from: p@example.org\n  to: a@example.org\n',
  );
  assert.throws(() => loadSettings(file, {}), /email\.smtp_url must be an smtp:\/\/ or smtps:\/\/ URL/);
  writeFileSync(
    file,
    'email:\n  smtp_url: smtp://mail.example.org\n  from: p@example.org\n  to: a@example.org\n  mode: hourly\n',
  );
  assert.throws(() => loadSettings(file, {}), /email\.mode must be per-refresh or daily/);
});

test('tributary refresh with email per-refresh: the first pass mails its new posts, an unchanged feed mails nothing', async () => {
  const feeds = await startFeedServer(new Map([['/river.xml', { body: rssFeed('river', 3) }]]));
  const config = join(dir, 'refresh.yaml');
  writeFileSync(
    config,
    [
      'site: { title: Planet Mail }',
      'database: refresh.db',
      'fetch: { allow_private_networks: true }',
      `sources: [{ url: "${feeds.url('/river.xml')}", author: River Writer }]`,
      `email: { smtp_url: "${sink.url}", from: planet@example.org, to: [reader@example.com] }`,
    ].join('\n'),
  );
  const log = console.log;
  console.log = () => {}; // the command's summary line
  try {
    assert.equal(await refreshCommand({ config, all: true, progress: false }), 0);
    assert.equal(sink.messages.length, 1);
    const [mail] = sink.messages;
    assert.equal(mail!.headers.get('subject'), 'Planet Mail: 3 new posts');
    assert.match(
      mail!.text,
      /\nriver post 0\nPost Syndicated from River Writer original https:\/\/river\.example\/posts\/0\n\nBody 0 of river/,
    );
    assert.equal(await refreshCommand({ config, all: true, progress: false }), 0);
    assert.equal(sink.messages.length, 1, 'a 304 pass stores nothing new, so nothing is mailed');
  } finally {
    console.log = log;
    await feeds.close();
  }
});
