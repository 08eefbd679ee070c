import type { CreatedKey, KeyView } from '../lambdas/api/key-schemas.js';
import { fields, table } from './table.js';

const MAX_NAME = 30;

/** An API timestamp as `2030-01-31T12:00:00Z` (no milliseconds); `none` when null. */
export function time(iso: string | null, none: string): string {
  if (iso === null) return none;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const models = (key: Pick<KeyView, 'models'>): string => (key.models === null ? 'all' : key.models.join(','));

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A new key (create or rotate): the key once, with the warning that it will not be shown again, then its details. */
export function formatCreated(key: CreatedKey, verb: 'Created' | 'Rotated'): string {
  const intro =
    verb === 'Created'
      ? `Created key ${key.id} for tenant ${key.tenant}.`
      : `Rotated key ${key.rotatedFrom ?? '?'}: its replacement is ${key.id}; the old key keeps working for the grace period.`;
  return [
    intro,
    '',
    `  ${key.key}`,
    '',
    'Store the key now: this is the only time it is shown, it will not be shown again.',
    '',
    fields([
      ['id', key.id],
      ['tenant', key.tenant],
      ['name', key.name],
      ['plan', key.plan],
      ['models', models(key)],
      ['scopes', key.scopes.join(',')],
      ['expires', time(key.expiresAt, 'never')],
    ]),
  ].join('\n');
}

/** One key in full (get, revoke). */
export function formatKey(key: KeyView): string {
  const pairs: [string, string][] = [
    ['id', key.id],
    ['tenant', key.tenant],
    ['name', key.name],
    ['plan', key.plan],
    ['status', key.status],
    ['models', models(key)],
    ['scopes', key.scopes.join(',')],
    ['last4', key.last4],
    ['created', time(key.createdAt, '-')],
    ['last used', time(key.lastUsedAt, 'never')],
    ['expires', time(key.expiresAt, 'never')],
  ];
  if (key.rotatedFrom !== null) pairs.push(['rotated from', key.rotatedFrom]);
  if (key.rotatedTo !== null) pairs.push(['rotated to', key.rotatedTo]);
  if (key.graceUntil !== null) pairs.push(['works until', time(key.graceUntil, '-')]);
  const labels = Object.entries(key.labels);
  if (labels.length > 0) pairs.push(['labels', labels.map(([name, value]) => `${name}=${value}`).join(',')]);
  return fields(pairs);
}

export const formatRevoked = (key: KeyView): string =>
  `Revoked key ${key.id} of tenant ${key.tenant}. Authorizer caches may accept it for up to auth.cacheTtlSeconds.\n\n${formatKey(key)}`;

/** The key list as an aligned table. */
export function formatList(keys: readonly KeyView[], tenant?: string): string {
  if (keys.length === 0) return tenant === undefined ? 'No keys.\n' : `No keys for tenant ${tenant}.\n`;
  return table(
    ['ID', 'TENANT', 'NAME', 'PLAN', 'STATUS', 'LAST4', 'CREATED', 'LAST USED', 'EXPIRES'],
    keys.map((key) => [
      key.id,
      key.tenant,
      truncate(key.name, MAX_NAME),
      key.plan,
      key.status,
      key.last4,
      time(key.createdAt, '-'),
      time(key.lastUsedAt, 'never'),
      time(key.expiresAt, 'never'),
    ]),
  );
}
