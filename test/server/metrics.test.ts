import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { DURATION_BUCKETS, renderMetrics } from '../../src/server/metrics.js';
import {
  FETCH_WINDOW_KEEP_MINUTES,
  type FetchOutcomeKind,
  openStore,
  type Store,
} from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { listen, request } from './helpers.js';

const NOW = new Date('2024-05-10T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const dir = mkdtempSync(join(tmpdir(), 'tributary-metrics-'));
let store: Store;

before(async () => {
  store = await openStore(`sqlite:${join(dir, 'river.db')}`);
  await store.migrate();
  await smallFixture(store);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function smallFixture(store: Store): Promise<void> {
  const blog = await store.addSource({ url: 'https://blog.example/feed' });
  const broken = await store.addSource({ url: 'https://broken.example/feed' });
  const dead = await store.addSource({ url: 'https://dead.example/feed' });
  await store.addSource({ url: 'https://new.example/feed' }); // never fetched: due at once
  const item = (id: string) => ({ id, url: `https://blog.example/${id}`, title: id });
  // Two hours ago: outside the one-hour window of the fetch series, but its entry counts in the total.
  await store.commitFetch(blog.id, {
    outcome: 'ok',
    fetchedAt: minutesAgo(120),
    items: [item('old')],
    httpStatus: 200,
    durationMs: 40_000,
    nextFetchAt: minutesAgo(60),
  });
  await store.commitFetch(blog.id, {
    outcome: 'ok',
    fetchedAt: minutesAgo(30),
    items: [item('a'), item('b')],
    httpStatus: 200,
    durationMs: 300,
    nextFetchAt: minutesAgo(-30),
  });
  await store.commitFetch(broken.id, {
    outcome: 'failed',
    fetchedAt: minutesAgo(10),
    httpStatus: 500,
    durationMs: 12_000,
    error: 'HTTP 500',
    nextFetchAt: minutesAgo(1),
  });
  await store.commitFetch(dead.id, {
    outcome: 'gone',
    fetchedAt: minutesAgo(5),
    httpStatus: 410,
    durationMs: 50,
  });
}

/** `name{labels} value` lines → a map from `name{labels}` to the number. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(
      line,
    );
    assert.ok(m, `not an exposition line: ${line}`);
    const value = Number(m[3]);
    assert.ok(!Number.isNaN(value), `not a number: ${line}`);
    out.set(`${m[1]}${m[2] ?? ''}`, value);
  }
  return out;
}

test('/metrics lines parse, every family has HELP and TYPE, and values reflect the store', async () => {
  await assertSmallFixture(store);
});

async function assertSmallFixture(store: Store): Promise<void> {
  const text = await renderMetrics(store, NOW);
  const values = samples(text);
  const families = [...text.matchAll(/^# TYPE (\S+) (gauge|histogram)$/gm)].map((m) => m[1]);
  for (const name of families) assert.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'));
  for (const key of values.keys()) {
    const name = key.replace(/\{.*$/, '').replace(/_(bucket|sum|count)$/, '');
    assert.ok(families.includes(name) || families.includes(key.replace(/\{.*$/, '')), `no TYPE for ${key}`);
  }

  assert.equal(values.get('tributary_sources{status="active"}'), 2);
  assert.equal(values.get('tributary_sources{status="error"}'), 1);
  assert.equal(values.get('tributary_sources{status="gone"}'), 1);
  assert.equal(values.get('tributary_sources{status="paused"}'), 0);
  assert.equal(values.get('tributary_entries_total'), 3);
  // Last hour: 0.3 s, 12 s and 0.05 s (the 40 s fetch two hours ago is outside the window).
  assert.equal(values.get('tributary_fetch_duration_seconds_bucket{le="0.1"}'), 1);
  assert.equal(values.get('tributary_fetch_duration_seconds_bucket{le="0.5"}'), 2);
  assert.equal(values.get('tributary_fetch_duration_seconds_bucket{le="10"}'), 2);
  assert.equal(values.get('tributary_fetch_duration_seconds_bucket{le="30"}'), 3);
  assert.equal(values.get('tributary_fetch_duration_seconds_bucket{le="+Inf"}'), 3);
  assert.equal(values.get('tributary_fetch_duration_seconds_count'), 3);
  assert.ok(Math.abs(values.get('tributary_fetch_duration_seconds_sum')! - 12.35) < 1e-9);
  assert.equal(values.get('tributary_fetch_http_status_total{code="200"}'), 1);
  assert.equal(values.get('tributary_fetch_http_status_total{code="500"}'), 1);
  assert.equal(values.get('tributary_fetch_http_status_total{code="410"}'), 1);
  assert.equal(values.get('tributary_entries_ingested_total'), 2);
  // The broken source (due a minute ago) and the new one; the blog is due in 30 minutes, the gone one never.
  assert.equal(values.get('tributary_due_sources'), 2);
  assert.ok(values.get('tributary_db_latency_seconds')! >= 0);
}

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('the aggregates read the same figures on this backend', async () => {
      const other = await backend.open();
      await smallFixture(other);
      await assertSmallFixture(other);
      await other.close();
    });

    test('a scrape reads what the database keeps counted: with the sources and the fetch log out of reach, the figures are the same', async () => {
      const { store: other, sql } = await backend.openWithSql();
      await smallFixture(other);
      const since = minutesAgo(60);
      const figures = await other.fetchMetrics(NOW, since);
      assert.equal(figures.due, 2);
      assert.equal(figures.timedFetches, 3);
      // Renamed, so that any query of either table fails: what is left is what a scrape costs at any size.
      await sql('ALTER TABLE fetch_log RENAME TO fetch_log_away');
      await sql('ALTER TABLE sources RENAME TO sources_away');
      assert.deepEqual(await other.fetchMetrics(NOW, since), figures);
      await other.close();
    });

    test('due sources follow the clock across minutes and hours: those due by the start of the minute', async () => {
      const other = await backend.open();
      const sources = [];
      for (let i = 0; i < 40; i++)
        sources.push(await other.addSource({ url: `https://due${i}.example/feed` }));
      // Next fetches at odd seconds over three hours around NOW; every 10th never fetched, some failing or gone.
      await Promise.all(
        sources.map((source, i) => {
          if (i % 10 === 0) return undefined;
          const outcome = i % 7 === 0 ? 'gone' : i % 3 === 0 ? 'failed' : 'ok';
          return other.commitFetch(source.id, {
            outcome,
            fetchedAt: minutesAgo(90),
            ...(outcome !== 'gone' && {
              nextFetchAt: new Date(NOW.getTime() + ((i * 4_567_891) % 10_800_000) - 3_600_000),
            }),
          });
        }),
      );
      await other.retireSources([sources[11]!.id, sources[20]!.id], NOW);
      // A source moved later, and one moved back: their old minutes no longer count them.
      await other.commitFetch(sources[13]!.id, {
        outcome: 'ok',
        fetchedAt: NOW,
        nextFetchAt: minutesAgo(-45),
      });
      await other.commitFetch(sources[14]!.id, {
        outcome: 'ok',
        fetchedAt: NOW,
        nextFetchAt: minutesAgo(65),
      });
      let seen = 0;
      for (let t = -70 * 60_000 - 13_000; t < 130 * 60_000; t += 7 * 60_000 + 13_000) {
        const now = new Date(NOW.getTime() + t);
        const minuteStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
        const expected = (await other.dueSources(minuteStart, 100)).length;
        assert.equal((await other.fetchMetrics(now, now)).due, expected, `due at ${now.toISOString()}`);
        seen = Math.max(seen, expected);
      }
      assert.ok(seen > 20, 'the clock passed most next fetches');
      await other.close();
    });

    test('the window keeps only recent minutes, and fetch-log rows pruned as sources are fetched leave it right', async () => {
      const { store: other, sql } = await backend.openWithSql();
      const a = await other.addSource({ url: 'https://a.example/feed' });
      const b = await other.addSource({ url: 'https://b.example/feed' });
      const fetch = (minutes: number, httpStatus: number, durationMs: number) => ({
        outcome: 'ok' as const,
        fetchedAt: minutesAgo(minutes),
        httpStatus,
        durationMs,
        nextFetchAt: minutesAgo(minutes - 60),
      });
      await other.commitFetch(a.id, fetch(91 * 24 * 60, 200, 100)); // past the kept days: pruned by a's next
      await other.commitFetch(a.id, fetch(180, 500, 20_000)); // kept in the log, out of the window
      await other.commitFetch(b.id, fetch(20, 200, 300));
      await other.commitFetch(a.id, fetch(10, 304, 50));
      assert.equal((await other.fetchLog(minutesAgo(100 * 24 * 60))).length, 3);

      const m = await other.fetchMetrics(NOW, minutesAgo(60));
      assert.equal(m.timedFetches, 2);
      assert.equal(m.durationMsTotal, 350);
      assert.deepEqual(m.atMost, [1, 1, 2, 2, 2, 2, 2, 2]);
      assert.deepEqual(m.byHttpStatus, [
        { code: 200, count: 1 },
        { code: 304, count: 1 },
      ]);
      // Nothing /metrics keeps grows with time: minutes before the kept ones, and due counts emptied as
      // sources moved on, are gone.
      const horizon = Math.floor(minutesAgo(10).getTime() / 60_000) - FETCH_WINDOW_KEEP_MINUTES;
      const [old] = await sql(`SELECT count(*) AS n FROM fetch_window WHERE minute < ${horizon}`);
      assert.equal(Number(old!.n), 0);
      const [empty] = await sql('SELECT count(*) AS n FROM due_counts WHERE sources = 0');
      assert.equal(Number(empty!.n), 0);
      await other.close();
    });

    test('the figures the database aggregates are those read row by row from every source and log row', async () => {
      const other = await backend.open();
      const outcomes: FetchOutcomeKind[] = ['ok', 'notModified', 'failed', 'throttled', 'gone'];
      const codes = [200, 304, 404, 410, 429, 500, 503];
      // Durations on and around every bucket bound, and fetches on both sides of the window's start.
      const durations = [
        undefined,
        0,
        99,
        100,
        101,
        250,
        999,
        1000,
        2500,
        5000,
        10_000,
        30_000,
        30_001,
        95_000,
      ];
      const sources = [];
      for (let i = 0; i < 120; i++)
        sources.push(await other.addSource({ url: `https://s${i}.example/feed` }));
      // Commits of one round run together (SQLite groups them in one transaction).
      for (let f = 0; f < 4; f++) {
        await Promise.all(
          sources.map((source, i) => {
            if (f > i % 4) return undefined;
            const n = i * 7 + f;
            const outcome = outcomes[n % outcomes.length]!;
            const durationMs = durations[n % durations.length];
            return other.commitFetch(source.id, {
              outcome,
              fetchedAt: minutesAgo([61, 60, 59, 30, 1, 0][n % 6]!),
              ...(outcome === 'ok' && {
                items: [{ id: `${i}-${f}`, url: `https://s${i}.example/${f}`, title: 't' }],
              }),
              ...(n % 5 !== 0 && { httpStatus: codes[n % codes.length] }),
              ...(durationMs !== undefined && { durationMs }),
              ...(outcome !== 'gone' && { nextFetchAt: minutesAgo(30 - (n % 60)) }),
            });
          }),
        );
      }
      await other.retireSources(
        sources.filter((_, i) => i % 9 === 0).map((s) => s.id),
        NOW,
      );
      // Sources purged and brought back: the counts the database keeps follow every kind of change.
      for (const source of sources.slice(1, 4)) await other.purgeSource(source.id);
      for (const source of [sources[9]!, sources[18]!]) await other.addSource({ url: source.url });
      const aggregated = samples(await renderMetrics(other, NOW));
      const perRow = await metricsRowByRow(other, NOW);
      aggregated.delete('tributary_db_latency_seconds');
      assert.deepEqual(
        [...aggregated.keys()].filter((k) => !perRow.has(k)),
        [],
      );
      for (const [key, value] of perRow) {
        const got = aggregated.get(key);
        assert.ok(
          got !== undefined && Math.abs(got - value) < 1e-9,
          `${key}: ${got} aggregated, ${value} row by row`,
        );
      }
      assert.ok(perRow.get('tributary_fetch_duration_seconds_count')! > 50, 'the window holds fetches');
      await other.close();
    });
  });
}

/** /metrics as it was computed before the database aggregated it: every source and log row read. */
async function metricsRowByRow(store: Store, now: Date): Promise<Map<string, number>> {
  const sources = await store.listSources();
  const { entries } = await store.stats();
  const due = await store.dueSources(now, Math.max(1, sources.length));
  const logs = await store.fetchLog(new Date(now.getTime() - 3_600_000));
  const out = new Map<string, number>();
  for (const status of ['active', 'error', 'gone', 'paused'])
    out.set(`tributary_sources{status="${status}"}`, sources.filter((s) => s.status === status).length);
  out.set('tributary_entries_total', entries);
  const seconds = logs.flatMap((l) => (l.durationMs === undefined ? [] : [l.durationMs / 1000]));
  for (const le of DURATION_BUCKETS)
    out.set(`tributary_fetch_duration_seconds_bucket{le="${le}"}`, seconds.filter((d) => d <= le).length);
  out.set('tributary_fetch_duration_seconds_bucket{le="+Inf"}', seconds.length);
  out.set(
    'tributary_fetch_duration_seconds_sum',
    seconds.reduce((a, b) => a + b, 0),
  );
  out.set('tributary_fetch_duration_seconds_count', seconds.length);
  for (const l of logs) {
    if (l.httpStatus === undefined) continue;
    const key = `tributary_fetch_http_status_total{code="${l.httpStatus}"}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  out.set(
    'tributary_entries_ingested_total',
    logs.reduce((n, l) => n + l.newCount, 0),
  );
  out.set('tributary_due_sources', due.length);
  return out;
}

test('/metrics and /healthz over HTTP: text/plain, not cached, security headers; 503 once the store is closed', async () => {
  const { base, close } = await listen(createServer({ store, site: { title: 'T' }, now: () => NOW }));
  try {
    const metrics = await request(`${base}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.equal(metrics.headers['x-content-type-options'], 'nosniff');
    assert.match(metrics.text, /^tributary_entries_total 3$/m);
    const health = await request(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.text, 'ok\n');
    assert.equal(health.headers['cache-control'], 'no-store');
    assert.match(String(health.headers['content-type']), /^text\/plain/);

    const closedDir = mkdtempSync(join(tmpdir(), 'tributary-metrics-closed-'));
    const closed = await openStore(`sqlite:${join(closedDir, 'river.db')}`);
    await closed.migrate();
    await closed.close();
    const down = await listen(createServer({ store: closed, site: { title: 'T' } }));
    try {
      const sick = await request(`${down.base}/healthz`);
      assert.equal(sick.status, 503);
      assert.equal(sick.headers['cache-control'], 'no-store');
      assert.equal((await request(`${down.base}/metrics`)).status, 503);
    } finally {
      await down.close();
      rmSync(closedDir, { recursive: true, force: true });
    }
  } finally {
    await close();
  }
});
