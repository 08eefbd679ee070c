import type { Scope } from '../api/scopes.js';

export type KeyStatus = 'active' | 'revoked' | 'rotated';

/** A gateway key as stored (never the key itself; `hash` is its SHA-256). Times are ISO 8601 strings. */
export interface KeyRecord {
  readonly hash: string;
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly plan: string;
  /** null: every alias. */
  readonly models: readonly string[] | null;
  readonly scopes: readonly Scope[];
  readonly status: KeyStatus;
  readonly last4: string;
  /** The API Gateway usage-plan key (per tenant and plan) the authorizer hands back as usageIdentifierKey. */
  readonly usageKey: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly rotatedFrom: string | null;
  readonly rotatedTo: string | null;
  readonly graceUntil: string | null;
  /** Labels for cost allocation (`cost-centre` → `cc-42`); {} when none. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Whether a stored key may authenticate at `now`: active and unexpired, or rotated and inside its grace period. */
export function isUsable(record: KeyRecord, now: Date): boolean {
  const at = now.toISOString();
  if (record.expiresAt !== null && record.expiresAt <= at) return false;
  if (record.status === 'active') return true;
  return record.status === 'rotated' && record.graceUntil !== null && at < record.graceUntil;
}
