import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Limiter } from '../../src/fetch/limiter.js';

/** A task that records how many tasks for its host (and in total) run alongside it. */
function tracker() {
  const running = new Map<string, number>();
  let total = 0;
  const peak = { total: 0, perHost: new Map<string, number>() };
  const task = (host: string) => async () => {
    total++;
    running.set(host, (running.get(host) ?? 0) + 1);
    peak.total = Math.max(peak.total, total);
    peak.perHost.set(host, Math.max(peak.perHost.get(host) ?? 0, running.get(host)!));
    await new Promise((r) => setTimeout(r, 5));
    total--;
    running.set(host, running.get(host)! - 1);
    return host;
  };
  return { task, peak };
}

test('never exceeds the per-host and global limits, and runs everything', { timeout: 5000 }, async () => {
  const limiter = new Limiter(3, 2);
  const { task, peak } = tracker();
  const hosts = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd'];
  const results = await Promise.all(hosts.map((h) => limiter.run(h, task(h))));
  assert.deepEqual(results, hosts);
  assert.equal(peak.total, 3);
  assert.equal(peak.perHost.get('a'), 2);
  assert.ok(Math.max(...peak.perHost.values()) <= 2);
});

test('a busy host does not block other hosts behind it', { timeout: 5000 }, async () => {
  const limiter = new Limiter(4, 1);
  const order: string[] = [];
  let releaseA!: () => void;
  const blockA = limiter.run('a', () => new Promise<void>((r) => (releaseA = r)));
  const secondA = limiter.run('a', async () => void order.push('a2'));
  const b = limiter.run('b', async () => void order.push('b'));
  await b;
  assert.deepEqual(order, ['b']);
  releaseA();
  await Promise.all([blockA, secondA]);
  assert.deepEqual(order, ['b', 'a2']);
});

test('a queued call aborts with the signal reason and frees its place', { timeout: 5000 }, async () => {
  const limiter = new Limiter(1, 1);
  let release!: () => void;
  const holder = limiter.run('a', () => new Promise<void>((r) => (release = r)));
  const controller = new AbortController();
  const queued = limiter.run('a', async () => 'ran', controller.signal);
  controller.abort(new Error('user gave up'));
  await assert.rejects(queued, /user gave up/);
  release();
  await holder;
  assert.equal(await limiter.run('a', async () => 'next'), 'next');
});

test('a failing task releases its slot', { timeout: 5000 }, async () => {
  const limiter = new Limiter(1, 1);
  await assert.rejects(
    limiter.run('a', async () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(await limiter.run('a', async () => 'ok'), 'ok');
});
