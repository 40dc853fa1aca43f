import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { renderMetrics } from '../../src/server/metrics.js';
import { openStore, type Store } from '../../src/store/index.js';
import { listen, request } from './helpers.js';

const NOW = new Date('2024-05-10T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const dir = mkdtempSync(join(tmpdir(), 'tributary-metrics-'));
let store: Store;

before(async () => {
  store = await openStore(`sqlite:${join(dir, 'river.db')}`);
  await store.migrate();
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
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

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
});

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
