import { GatewayError } from '../../lambdas/core/errors.js';
import { sha256Hex } from '../../lambdas/idempotency/idempotency-key.js';
import { IdempotencyStore } from '../../lambdas/idempotency/idempotency-store.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BODY = sha256Hex('{"model":"m","messages":[{"role":"user","content":"hi"}]}');
const OTHER_BODY = sha256Hex('{"model":"m","messages":[{"role":"user","content":"bye"}]}');
const CHAT = 'POST /v1/chat/completions';
const MESSAGES = 'POST /v1/messages';
const RESPONSE = {
  status: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
  body: '{"id":"c1"}',
};

let db: EmbeddedTable;
let keyCounter = 0;
/** A key no other test uses, so tests share one table without meeting. */
const freshKey = (): string => `test-key-${++keyCounter}-${Math.random().toString(36).slice(2)}`;

/** A store whose clock reads `clock.now`, which the test moves. */
function storeAt(clock: { now: number }): IdempotencyStore {
  return new IdempotencyStore(db.client(), db.table, () => clock.now);
}

beforeAll(async () => {
  db = await embeddedTable();
});

afterAll(async () => {
  await db.close();
});

describe('IdempotencyStore', () => {
  it('claims a fresh key', async () => {
    const store = storeAt({ now: T0 });
    await expect(
      store.begin({ tenant: 'acme', key: freshKey(), bodyHash: BODY, route: CHAT, requestId: 'req-1' }),
    ).resolves.toEqual({ kind: 'new' });
  });

  it('replays the stored response to a retry with the same body', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await expect(store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE })).resolves.toBe(true);
    clock.now += HOUR;
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({
      kind: 'replay',
      requestId: 'req-1',
      ...RESPONSE,
    });
  });

  it('answers mismatch to the same key with another body, done or in flight', async () => {
    const store = storeAt({ now: T0 });
    const done = freshKey();
    await store.begin({ tenant: 'acme', key: done, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await store.complete({ tenant: 'acme', key: done, requestId: 'req-1', ...RESPONSE });
    await expect(
      store.begin({ tenant: 'acme', key: done, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'mismatch' });

    const inFlight = freshKey();
    await store.begin({ tenant: 'acme', key: inFlight, bodyHash: BODY, route: CHAT, requestId: 'req-3' });
    await expect(
      store.begin({ tenant: 'acme', key: inFlight, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-4' }),
    ).resolves.toEqual({
      kind: 'mismatch',
    });
  });

  it('answers in_flight while the first request holds the claim', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1', leaseMs: 5 * MINUTE });
    clock.now += 5 * MINUTE - 1;
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2', leaseMs: 5 * MINUTE }),
    ).resolves.toEqual({
      kind: 'in_flight',
    });
  });

  it('keeps keys apart per tenant', async () => {
    const store = storeAt({ now: T0 });
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await expect(
      store.begin({ tenant: 'globex', key, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'new' });
  });

  it('lets a retry take over a claim whose lease is over (a crashed first request)', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1', leaseMs: 5 * MINUTE });
    clock.now += 5 * MINUTE;
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2', leaseMs: 5 * MINUTE }),
    ).resolves.toEqual({
      kind: 'new',
    });
    // The first request, should it come back, no longer holds the claim: its result is not stored.
    await expect(store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE })).resolves.toBe(false);
    const second = { ...RESPONSE, body: '{"id":"c2"}' };
    await expect(store.complete({ tenant: 'acme', key, requestId: 'req-2', ...second })).resolves.toBe(true);
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-3' }),
    ).resolves.toEqual({
      kind: 'replay',
      requestId: 'req-2',
      ...second,
    });
  });

  it('does not let another body take over an abandoned claim', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1', leaseMs: MINUTE });
    clock.now += 2 * MINUTE;
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'mismatch' });
  });

  it('never takes over a done key while it is retained, however old its lease', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const key = freshKey();
    await store.begin({
      tenant: 'acme',
      key,
      bodyHash: BODY,
      route: CHAT,
      requestId: 'req-1',
      leaseMs: MINUTE,
      retentionMs: 24 * HOUR,
    });
    await store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE });
    clock.now += 24 * HOUR - 1000;
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toMatchObject({ kind: 'replay' });
  });

  it('treats an expired item as absent (TTL deletion lags; the local store never deletes)', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1', retentionMs: 24 * HOUR });
    await store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE });
    clock.now += 24 * HOUR;
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'new' });
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-3' }),
    ).resolves.toEqual({ kind: 'in_flight' });
  });

  it('releases an abandoned claim so the retry runs again', async () => {
    const store = storeAt({ now: T0 });
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await expect(store.abandon({ tenant: 'acme', key, requestId: 'req-1' })).resolves.toBe(true);
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'new' });
  });

  it('ignores complete and abandon from a request that does not hold the claim', async () => {
    const store = storeAt({ now: T0 });
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await expect(store.complete({ tenant: 'acme', key, requestId: 'req-other', ...RESPONSE })).resolves.toBe(false);
    await expect(store.abandon({ tenant: 'acme', key, requestId: 'req-other' })).resolves.toBe(false);
    await expect(store.completeStream({ tenant: 'acme', key, requestId: 'req-other' })).resolves.toBe(false);
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'in_flight' });
    // Nor for a key nobody claimed.
    await expect(store.complete({ tenant: 'acme', key: freshKey(), requestId: 'req-1', ...RESPONSE })).resolves.toBe(
      false,
    );
  });

  it('does not complete a claim twice, nor abandon a completed one', async () => {
    const store = storeAt({ now: T0 });
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await expect(store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE })).resolves.toBe(true);
    await expect(store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE, body: 'later' })).resolves.toBe(
      false,
    );
    await expect(store.abandon({ tenant: 'acme', key, requestId: 'req-1' })).resolves.toBe(false);
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toMatchObject({
      kind: 'replay',
      body: RESPONSE.body,
    });
  });

  it('answers stream_used to a retry of a completed stream, which is stored without its response', async () => {
    const store = storeAt({ now: T0 });
    const key = freshKey();
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await expect(store.completeStream({ tenant: 'acme', key, requestId: 'req-1' })).resolves.toBe(true);
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'stream_used' });
    await expect(
      store.begin({ tenant: 'acme', key, bodyHash: OTHER_BODY, route: CHAT, requestId: 'req-3' }),
    ).resolves.toEqual({ kind: 'mismatch' });
  });

  it('never stores the raw key', async () => {
    const store = storeAt({ now: T0 });
    const key = 'raw-key-sentinel-7c1e9b';
    await store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await store.complete({ tenant: 'acme', key, requestId: 'req-1', ...RESPONSE });
    const dump = await db.dump();
    expect(dump).toContain(`IDEM#acme#${sha256Hex(key)}`);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain('sentinel');
  });

  it('gives exactly one of many concurrent requests the claim, across clients', async () => {
    const key = freshKey();
    const stores = Array.from({ length: 4 }, () => storeAt({ now: T0 }));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stores[i % stores.length]!.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: `req-${i}` }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'new')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in_flight')).toHaveLength(19);
  });

  it('gives exactly one of many concurrent retries an abandoned claim', async () => {
    const key = freshKey();
    const clock = { now: T0 };
    await storeAt(clock).begin({
      tenant: 'acme',
      key,
      bodyHash: BODY,
      route: CHAT,
      requestId: 'crashed',
      leaseMs: MINUTE,
    });
    clock.now += 2 * MINUTE;
    const stores = Array.from({ length: 4 }, () => storeAt(clock));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stores[i % stores.length]!.begin({
          tenant: 'acme',
          key,
          bodyHash: BODY,
          route: CHAT,
          requestId: `req-${i}`,
          leaseMs: MINUTE,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'new')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in_flight')).toHaveLength(19);
  });

  it('rejects an invalid key with 400 before touching the table', async () => {
    const store = storeAt({ now: T0 });
    const before = await db.dump();
    for (const key of ['', 'x'.repeat(256), 'bad\nkey']) {
      const outcome = store.begin({ tenant: 'acme', key, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
      await expect(outcome).rejects.toBeInstanceOf(GatewayError);
      await expect(outcome).rejects.toMatchObject({
        status: 400,
        code: 'invalid_idempotency_key',
        param: 'Idempotency-Key',
      });
    }
    expect(await db.dump()).toBe(before);
  });

  it('scopes a key to its route: the same key and body on another route is refused, done or in flight, never replayed', async () => {
    const clock = { now: T0 };
    const store = storeAt(clock);
    const done = freshKey();
    await store.begin({ tenant: 'acme', key: done, bodyHash: BODY, route: CHAT, requestId: 'req-1' });
    await store.complete({ tenant: 'acme', key: done, requestId: 'req-1', ...RESPONSE });
    await expect(
      store.begin({ tenant: 'acme', key: done, bodyHash: BODY, route: MESSAGES, requestId: 'req-2' }),
    ).resolves.toEqual({ kind: 'other_route', route: CHAT });
    await expect(
      store.begin({ tenant: 'acme', key: done, bodyHash: BODY, route: CHAT, requestId: 'req-3' }),
    ).resolves.toMatchObject({ kind: 'replay' });
    // An abandoned claim is taken over on its own route only.
    const crashed = freshKey();
    await store.begin({
      tenant: 'acme',
      key: crashed,
      bodyHash: BODY,
      route: CHAT,
      requestId: 'crashed',
      leaseMs: MINUTE,
    });
    clock.now += 2 * MINUTE;
    await expect(
      store.begin({ tenant: 'acme', key: crashed, bodyHash: BODY, route: MESSAGES, requestId: 'req-4' }),
    ).resolves.toEqual({ kind: 'other_route', route: CHAT });
    await expect(
      store.begin({ tenant: 'acme', key: crashed, bodyHash: BODY, route: CHAT, requestId: 'req-5' }),
    ).resolves.toEqual({ kind: 'new' });
  });
});
