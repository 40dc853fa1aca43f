/**
 * The claim's query plan, on both backends: one range of the sources_claim index (migration 13), however many
 * sources there are. Before it, "due or never fetched" and "not leased" were each an `OR … IS NULL` that no
 * index range serves, and a claim with nothing due read every active source (0.6–1.25 s at 1,000,000 sources
 * on PostgreSQL); these plans are what would show that coming back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimableSql } from '../../src/store/shared-sql.js';
import type { DeclaredSource } from '../../src/store/store.js';
import { backends } from './backends.js';

const SOURCES = 20_000;
/** Every source's next fetch: far after the claims below. */
const LATER = Date.UTC(2030, 0, 1);
const NOW = Date.UTC(2026, 0, 1);

for (const backend of backends()) {
  test(`${backend.name}: with none of ${SOURCES} sources due, a claim reads one range of sources_claim and gets none`, {
    skip: backend.skip,
  }, async () => {
    const { store, sql } = await backend.openWithSql();
    try {
      const declared: DeclaredSource[] = Array.from({ length: SOURCES }, (_, i) => ({
        url: `https://host${i % 100}.example/feed/${i}`,
        options: {},
        configHash: `h${i}`,
      }));
      await store.syncSources('plan-test', () => declared, new Date(NOW));
      await sql(`UPDATE sources SET next_fetch_at = ${LATER}`);
      await sql('ANALYZE');
      // The columns each store asks for (SQLite reads whole rows; PostgreSQL locks ids, then updates them).
      const query = claimableSql(backend.name === 'sqlite' ? '*' : 'id', String(NOW), '64');
      if (backend.name === 'sqlite') {
        const plan = (await sql(`EXPLAIN QUERY PLAN ${query}`)).map((row) => String(row.detail));
        assert.ok(
          plan.some((step) => /^SEARCH sources USING (COVERING )?INDEX sources_claim \(/.test(step)),
          plan.join('\n'),
        );
        assert.ok(!plan.some((step) => /TEMP B-TREE|^SCAN sources/.test(step)), plan.join('\n'));
      } else {
        const plan = (await sql(`EXPLAIN ${query} FOR UPDATE SKIP LOCKED`))
          .map((row) => String(row['QUERY PLAN']))
          .join('\n');
        assert.match(plan, /Index (Only )?Scan using sources_claim on sources/);
        assert.doesNotMatch(plan, /Seq Scan|Sort/);
      }
      assert.deepEqual(await store.claimDueSources(new Date(NOW), 64, 'worker-a', 60), []);
    } finally {
      await store.close();
    }
  });
}
