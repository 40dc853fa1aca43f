import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
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

test('calls queued under one signal add one abort listener, and all reject when it aborts', {
  timeout: 5000,
}, async () => {
  const limiter = new Limiter(1, 1);
  const holder = await hold(limiter, 'a');
  const shared = new AbortController();
  const queued = Array.from({ length: 20 }, (_, i) =>
    limiter.run(`host${i % 3}`, async () => i, shared.signal),
  );
  assert.equal(getEventListeners(shared.signal, 'abort').length, 1);
  shared.abort(new Error('stopping'));
  for (const call of queued) await assert.rejects(call, /stopping/);
  holder.release();
  await holder.done;
  assert.equal(await limiter.run('a', async () => 'free'), 'free');
});

test('the last call queued under a signal removes its listener when it starts', {
  timeout: 5000,
}, async () => {
  const limiter = new Limiter(1, 1);
  const signal = new AbortController().signal;
  const holder = await hold(limiter, 'a');
  const queued = [limiter.run('a', async () => 1, signal), limiter.run('b', async () => 2, signal)];
  holder.release();
  await holder.done;
  assert.deepEqual(await Promise.all(queued), [1, 2]);
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});

test('hosts with waiters take turns', { timeout: 5000 }, async () => {
  const limiter = new Limiter(1, 1);
  const order: string[] = [];
  const holder = await hold(limiter, 'x');
  const queued = ['a1', 'a2', 'a3', 'b1', 'c1'].map((name) =>
    limiter.run(name[0]!, async () => void order.push(name)),
  );
  holder.release();
  await Promise.all([holder.done, ...queued]);
  assert.deepEqual(order, ['a1', 'b1', 'c1', 'a2', 'a3']);
});

/** Takes a slot for `host` and keeps it until `release` is called. */
async function hold(limiter: Limiter, host: string): Promise<{ release: () => void; done: Promise<void> }> {
  let release!: () => void;
  let running!: () => void;
  const started = new Promise<void>((r) => (running = r));
  const done = limiter.run(host, () => {
    running();
    return new Promise<void>((r) => (release = r));
  });
  await started;
  return { release, done };
}
