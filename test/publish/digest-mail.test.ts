import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildDigestMail, sendDigestMail } from '../../src/publish/digest-mail.js';
import { type Fixture, NOW, riverFixture, SITE } from './fixtures.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

let fx: Fixture;
let sink: SmtpSink;
before(async () => {
  fx = await riverFixture();
  sink = await startSmtpSink();
});
after(async () => {
  await sink.close();
  await fx.cleanup();
});

const envelope = { from: 'Planet Test <planet@example.org>', to: ['ada@example.com', 'grace@example.com'] };

test('the digest arrives by SMTP with From, To, a counting Subject and each post as plain text', async () => {
  const { entries } = await fx.store.river({ limit: 10 });
  const sources = new Map([fx.ada, fx.grace, fx.titled].map((s) => [s.id, s]));
  const mail = buildDigestMail({ site: SITE, entries, sources, now: NOW }, envelope);
  assert.ok(mail);
  await sendDigestMail(sink.url, mail);

  assert.equal(sink.messages.length, 1);
  const [received] = sink.messages;
  assert.equal(received!.envelopeFrom, 'planet@example.org');
  assert.deepEqual(received!.envelopeTo, envelope.to);
  assert.equal(received!.headers.get('from'), 'Planet Test <planet@example.org>');
  assert.equal(received!.headers.get('to'), 'ada@example.com, grace@example.com');
  assert.equal(received!.headers.get('subject'), `Planet Test: ${entries.length} new posts`);
  assert.match(received!.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/i);

  const text = received!.text;
  for (const title of ['Analytical engines', 'Nanoseconds & <wire>', 'Plain text thoughts', 'A short film'])
    assert.ok(text.includes(`\n${title}\n`), `title line "${title}" in:\n${text}`);
  assert.ok(
    text.includes('Post Syndicated from Ada Lovelace original https://ada.example.org/posts/ada-1'),
    text,
  );
  assert.ok(
    text.includes('Post Syndicated from Grace Hopper original https://grace.example.net/posts/grace-3'),
    text,
  );
  assert.match(text, /The engine weaves algebraic patterns\./);
  assert.match(text, /A foot of wire is a nanosecond\./);
  assert.doesNotMatch(text, /<p>|<em>/, 'the body is text, not HTML');
});

test('no entries make no message at all', () => {
  assert.equal(
    buildDigestMail({ site: SITE, entries: [], sources: new Map(), now: NOW }, envelope),
    undefined,
  );
});

test('one post is "1 new post"; an unreachable SMTP server is an error naming the server and the recipients', async () => {
  const { entries } = await fx.store.river({ limit: 1 });
  const mail = buildDigestMail({ site: SITE, entries, sources: new Map(), now: NOW }, envelope)!;
  assert.equal(mail.subject, 'Planet Test: 1 new post');
  await assert.rejects(
    sendDigestMail('smtp://user:secret@127.0.0.1:1', mail),
    (e: Error) =>
      e.message.includes('ada@example.com') &&
      e.message.includes('127.0.0.1:1') &&
      !e.message.includes('secret'),
  );
});
