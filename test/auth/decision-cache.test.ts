import { DecisionCache } from '../../lambdas/auth/decision-cache.js';
import type { KeyRecord } from '../../lambdas/keys/key-record.js';

const record = (id: string): KeyRecord => ({
  hash: `hash-${id}`,
  id,
  tenant: `tenant-${id}`,
  name: 'n',
  plan: 'default',
  models: null,
  scopes: ['chat'],
  status: 'active',
  last4: 'abcd',
  usageKey: 'u',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  rotatedFrom: null,
  rotatedTo: null,
  graceUntil: null,
  labels: {},
});

describe('DecisionCache (the authorizer cache of the routes API Gateway does not cache)', () => {
  it('returns an entry only for its own key hash, until its TTL has passed', () => {
    const cache = new DecisionCache(60_000);
    cache.set('a', record('a'), 1_000);
    expect(cache.get('a', 1_000)?.id).toBe('a');
    expect(cache.get('b', 1_000)).toBeUndefined();
    expect(cache.get('a', 60_999)?.id).toBe('a');
    expect(cache.get('a', 61_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('a TTL of 0 keeps nothing', () => {
    const cache = new DecisionCache(0);
    cache.set('a', record('a'), 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('is bounded: past its size the oldest entry goes', () => {
    const cache = new DecisionCache(60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) cache.set(id, record(id), 0);
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((id) => cache.get(id, 1)?.id)).toEqual([undefined, 'b', 'c', 'd']);
    // Setting a key again renews it: it is now the newest.
    cache.set('b', record('b'), 2);
    cache.set('e', record('e'), 2);
    expect(['b', 'c', 'd', 'e'].map((id) => cache.get(id, 3)?.id)).toEqual(['b', undefined, 'd', 'e']);
  });
});
