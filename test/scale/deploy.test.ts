/**
 * deploy/compose.yaml (issue 12, item 11): the long-running services come back when they exit (a worker that
 * could not reach the database at start exits 1), and are given the time a worker needs to finish its
 * fetches on `docker compose stop` before Docker kills them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';

const compose = parse(readFileSync(new URL('../../../deploy/compose.yaml', import.meta.url), 'utf8'), {
  merge: true,
}) as { services: Record<string, { restart?: string; stop_grace_period?: string; command?: string }> };

test('compose restarts the web replica and the workers, and lets a stopping worker finish', () => {
  for (const name of ['web', 'worker']) {
    const service = compose.services[name];
    assert.ok(service, `no ${name} service`);
    assert.ok(
      ['always', 'unless-stopped', 'on-failure'].includes(service.restart ?? ''),
      `${name}: no restart policy`,
    );
    // SIGTERM lets in-flight fetches finish (fetch.timeout_seconds, 30 by default) and commit.
    assert.match(service.stop_grace_period ?? '', /^[1-9]\d*s$/, `${name}: no stop_grace_period`);
    assert.ok(Number.parseInt(service.stop_grace_period!, 10) >= 45, `${name}: stop_grace_period too short`);
    // A restarted service must not rebuild dist/ under the others, which run from it.
    assert.doesNotMatch(service.command ?? '', /npm run build/, `${name} rebuilds on every start`);
  }
  assert.equal(compose.services.app?.restart, 'on-failure', 'the migration retries until the database is up');
});
