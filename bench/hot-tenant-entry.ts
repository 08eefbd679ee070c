import type { LedgerEntry } from '../lambdas/ledger/ledger-entry.js';
import type { ReservationAmount } from '../lambdas/quota/reservation-amount.js';

/** The hot tenant's ledger entry of one simulated request: `actual` tokens and µ$ (bench/hot-tenant-sim.ts). */
export function entryOf(id: string, at: number, actual: ReservationAmount): LedgerEntry {
  return {
    id,
    requestId: id,
    tenant: 'hot',
    keyId: 'key_hot',
    plan: 'p',
    alias: 'fast',
    provider: 'openai',
    model: 'm',
    status: 200,
    stream: false,
    usage: { inputTokens: actual.tokens - 100, outputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0 },
    estimated: false,
    costMicros: actual.micros,
    attempts: 1,
    createdAt: new Date(at).toISOString(),
  };
}
