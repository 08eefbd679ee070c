import { CacheStore } from '../../lambdas/cache/cache-store.js';
import type { CachedAnswer } from '../../lambdas/cache/cache-entry.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// Entries in the gateway table: gzipped, expired by their TTL on read (DynamoDB deletes late), by a TTL shortened
// since, and not stored over the cap.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const answer = (content: string): CachedAnswer => ({
  kind: 'chat',
  result: { content, refusal: null, toolCalls: [], finishReason: 'stop', usage: undefined },
  estimated: false,
  by: { provider: 'p', model: 'm' },
});

it('a stored entry is read back until its TTL, then reads as absent', async () => {
  let now = 1_800_000_000_000;
  const store = new CacheStore(db.client(), db.table, () => now);
  const at = { scope: 't:acme', hash: 'h1' };
  expect(await store.put(at, answer('kept'), 60)).toBe(true);
  now += 59_999;
  expect(await store.get(at, 60)).toEqual({ answer: answer('kept'), storedAt: 1_800_000_000_000 });
  expect(await store.get(at, 30)).toBeUndefined();
  now += 1;
  expect(await store.get(at, 60)).toBeUndefined();
  expect(await store.get({ scope: 't:other', hash: 'h1' }, 60)).toBeUndefined();
});

it('an answer over the cap (350 KB gzipped) is not stored', async () => {
  const store = new CacheStore(db.client(), db.table);
  let noise = '';
  for (let i = 0; noise.length < 600_000; i++) noise += Math.random().toString(36).slice(2);
  expect(await store.put({ scope: 't:acme', hash: 'big' }, answer(noise), 60)).toBe(false);
  expect(await store.get({ scope: 't:acme', hash: 'big' }, 60)).toBeUndefined();
  expect(await store.put({ scope: 't:acme', hash: 'small' }, answer('a'.repeat(600_000)), 60)).toBe(true);
});
