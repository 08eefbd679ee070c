import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';

/** A booked 200 of alias `fast` (openai/m, 10 in + 5 out, 7 µ$) with id `id`; `over` changes any field. */
export const bookedEntry = (id: string, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  requestId: 'r',
  tenant: 't',
  keyId: 'key_a',
  plan: 'p',
  alias: 'fast',
  provider: 'openai',
  model: 'm',
  status: 200,
  stream: false,
  usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 },
  estimated: false,
  costMicros: 7,
  attempts: 1,
  createdAt: '2026-11-27T10:00:00.000Z',
  ...over,
});
