import { authenticate, presentedKey } from '../../lambdas/auth/authenticate.js';
import { generateKey, hashKey } from '../../lambdas/keys/key-format.js';
import type { KeyRecord } from '../../lambdas/keys/key-record.js';
import type { KeyStore } from '../../lambdas/keys/key-store.js';

function storeWith(records: KeyRecord[]): { store: KeyStore; lookups: string[] } {
  const lookups: string[] = [];
  const store = {
    findByHash: async (hash: string) => {
      lookups.push(hash);
      return records.find((r) => r.hash === hash);
    },
  } as unknown as KeyStore;
  return { store, lookups };
}

const record = (key: string, over: Partial<KeyRecord> = {}): KeyRecord => ({
  hash: hashKey(key),
  id: 'key_0000000000000001',
  tenant: 't',
  name: 'n',
  plan: 'default',
  models: null,
  scopes: ['chat'],
  status: 'active',
  last4: key.slice(-4),
  usageKey: 'u',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  rotatedFrom: null,
  rotatedTo: null,
  graceUntil: null,
  labels: {},
  ...over,
});

const NOW = new Date('2026-06-01T00:00:00.000Z');

describe('authenticate', () => {
  it('a malformed or checksum-failing key costs no store lookup', async () => {
    const { store, lookups } = storeWith([]);
    const key = generateKey();
    const typo = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    for (const candidate of [undefined, '', 'lgw_x', typo, `sk-${key}`]) {
      expect(await authenticate(candidate, store, NOW)).toBeUndefined();
    }
    expect(lookups).toEqual([]);
  });

  it('a well-formed key is found by its hash, with one lookup', async () => {
    const key = generateKey();
    const { store, lookups } = storeWith([record(key)]);
    expect((await authenticate(key, store, NOW))?.id).toBe('key_0000000000000001');
    expect(lookups).toEqual([hashKey(key)]);
  });

  it('revoked, expired, and rotated past grace do not authenticate; rotated within grace does', async () => {
    const key = generateKey();
    const cases: [Partial<KeyRecord>, boolean][] = [
      [{ status: 'revoked' }, false],
      [{ expiresAt: '2026-06-01T00:00:00.000Z' }, false],
      [{ expiresAt: '2026-06-01T00:00:01.000Z' }, true],
      [{ status: 'rotated', graceUntil: '2026-05-31T23:59:59.000Z' }, false],
      [{ status: 'rotated', graceUntil: '2026-06-01T00:00:01.000Z' }, true],
      [{ status: 'rotated', graceUntil: null }, false],
    ];
    for (const [over, usable] of cases) {
      const { store } = storeWith([record(key, over)]);
      expect([over, (await authenticate(key, store, NOW)) !== undefined]).toEqual([over, usable]);
    }
  });

  it('bearer intake reads Authorization: Bearer (any case) only', () => {
    expect(presentedKey({ authorization: 'bearer abc' }, 'bearer')).toBe('abc');
    expect(presentedKey({ Authorization: 'Bearer abc', 'x-api-key': 'def' }, 'bearer')).toBe('abc');
    expect(presentedKey({ 'X-Api-Key': 'def' }, 'bearer')).toBeUndefined();
    expect(presentedKey(null, 'bearer')).toBeUndefined();
  });

  it('bearer-or-x-api-key intake reads either; both must agree', () => {
    expect(presentedKey({ 'X-Api-Key': ' def ' }, 'bearer-or-x-api-key')).toBe('def');
    expect(presentedKey({ Authorization: 'Bearer abc' }, 'bearer-or-x-api-key')).toBe('abc');
    expect(presentedKey({ Authorization: 'Bearer abc', 'x-api-key': 'abc' }, 'bearer-or-x-api-key')).toBe('abc');
    expect(presentedKey({ Authorization: 'Bearer abc', 'x-api-key': 'def' }, 'bearer-or-x-api-key')).toBeUndefined();
    expect(presentedKey({ Authorization: 'Bearer abc', 'x-api-key': '' }, 'bearer-or-x-api-key')).toBe('abc');
    expect(presentedKey(null, 'bearer-or-x-api-key')).toBeUndefined();
  });

  // Issue 14 item 1: a cache keyed on Authorization must never hold a decision made on a key from another header.
  it.each(['Basic Og==', 'Bearer', 'Bearer ', 'Bearer a b', 'Token abc', ''])(
    'a present Authorization that is not a well-formed Bearer (%j) never falls back to x-api-key',
    (authorization) => {
      for (const intake of ['bearer', 'bearer-or-x-api-key'] as const) {
        expect([intake, presentedKey({ Authorization: authorization, 'x-api-key': 'victim' }, intake)]).toEqual([
          intake,
          undefined,
        ]);
      }
    },
  );

  it('a header sent twice with different values, in any spelling, is refused; twice the same is one', () => {
    for (const intake of ['bearer', 'bearer-or-x-api-key'] as const) {
      expect(presentedKey({ Authorization: 'Basic Og==', authorization: 'Bearer abc' }, intake)).toBeUndefined();
      expect(
        presentedKey({ Authorization: 'Bearer abc' }, intake, { Authorization: ['Bearer def', 'Bearer abc'] }),
      ).toBeUndefined();
      expect(
        presentedKey({ Authorization: 'Bearer abc' }, intake, { authorization: ['Bearer abc', 'Bearer abc'] }),
      ).toBe('abc');
    }
    expect(presentedKey({ 'x-api-key': 'abc', 'X-Api-Key': 'def' }, 'bearer-or-x-api-key')).toBeUndefined();
    expect(
      presentedKey({ 'x-api-key': 'abc' }, 'bearer-or-x-api-key', { 'x-api-key': ['def', 'abc'] }),
    ).toBeUndefined();
  });
});
