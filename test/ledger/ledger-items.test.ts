import { recordItem } from '../../lambdas/ledger/ledger-items.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import type { RecordedSettle } from '../../lambdas/quota/quota-settle.js';

// The request record's attributes: optional ones absent (never undefined or null) when unset, in one fixed order.

const bare: LedgerEntry = {
  id: 'req_1',
  requestId: 'r1',
  tenant: 'acme',
  keyId: 'key1',
  plan: 'default',
  alias: 'gpt-4o-mini',
  provider: undefined,
  model: undefined,
  status: 400,
  stream: false,
  usage: undefined,
  estimated: false,
  costMicros: undefined,
  attempts: 0,
  createdAt: '2026-12-07T10:00:00.000Z',
};

test('a record without usage, provider, cost or labels has none of their attributes', () => {
  const item = recordItem(bare, undefined, 1);
  expect(Object.keys(item)).toEqual([
    'pk',
    'sk',
    'gsi1pk',
    'gsi1sk',
    'requestId',
    'tenant',
    'keyId',
    'plan',
    'alias',
    'status',
    'stream',
    'estimated',
    'attempts',
    'createdAt',
    'expiresAt',
  ]);
  expect(Object.values(item).every((value) => value !== undefined && value !== null)).toBe(true);
  expect(item.expiresAt).toEqual({ N: String(Date.parse(bare.createdAt) / 1000 + 400 * 86_400) });
});

test('a full record carries every attribute, quota settle last', () => {
  const quota: RecordedSettle = {
    pks: ['QUOTA#TENANT#acme'],
    period: { month: '2026-12', day: '2026-12-07', bucket: '2026-12-07T10' },
    amount: { tokens: 100, micros: 50 },
    actual: { tokens: 15, micros: 7 },
    lease: false,
  };
  const item = recordItem(
    {
      ...bare,
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      status: 200,
      usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 2 },
      costMicros: 7,
      cache: 'miss',
      savedMicros: 3,
      labels: { team: 'a' },
    },
    quota,
    1,
  );
  expect(Object.keys(item).slice(9)).toEqual([
    'provider',
    'model',
    'status',
    'stream',
    'inputTokens',
    'outputTokens',
    'cachedTokens',
    'cacheWriteTokens',
    'cacheWrite1hTokens',
    'estimated',
    'costMicros',
    'attempts',
    'cache',
    'savedMicros',
    'labels',
    'createdAt',
    'expiresAt',
    'qScopes',
    'qMonth',
    'qBucket',
    'qTokens',
    'qMicros',
    'qUsedTokens',
    'qUsedMicros',
    'qLease',
  ]);
  expect(item.cacheWrite1hTokens).toEqual({ N: '2' });
  expect(item.labels).toEqual({ S: '{"team":"a"}' });
  expect(item.qScopes).toEqual({ L: [{ S: 'QUOTA#TENANT#acme' }] });
});
