import type { CreateKeyRequest, KeyView, Scope } from '../api/key-schemas.js';
import type { GatewayConfig } from '../config/schema.js';
import { badRequest, GatewayError, notFound } from '../core/errors.js';
import { generateKey, hashKey, newId } from './key-format.js';
import type { KeyRecord } from './key-record.js';
import type { KeyStore } from './key-store.js';
import type { UsageKeys } from './usage-keys.js';

interface KeyServiceDeps {
  readonly store: KeyStore;
  readonly usageKeys: UsageKeys;
  readonly config: GatewayConfig;
  readonly now?: () => Date;
}

export interface IssuedKey {
  /** The key itself: returned to the caller once, never stored. */
  readonly key: string;
  readonly record: KeyRecord;
}

export function toKeyView(record: KeyRecord): KeyView {
  return {
    object: 'gateway.key',
    id: record.id,
    tenant: record.tenant,
    name: record.name,
    plan: record.plan,
    models: record.models === null ? null : [...record.models],
    scopes: [...record.scopes],
    status: record.status,
    last4: record.last4,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    expiresAt: record.expiresAt,
    rotatedFrom: record.rotatedFrom,
    rotatedTo: record.rotatedTo,
    graceUntil: record.graceUntil,
    labels: { ...record.labels },
  };
}

const keyNotFound = (id: string): GatewayError =>
  notFound(`No key with id ${JSON.stringify(id.slice(0, 64))}.`, 'key_not_found');

/** Issuing, listing, revoking and rotating gateway keys: the admin API's logic, over the key store. */
export class KeyService {
  private readonly now: () => Date;

  constructor(private readonly deps: KeyServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async create(input: CreateKeyRequest): Promise<IssuedKey> {
    const { config } = this.deps;
    const plan = input.plan ?? config.auth.defaultPlan;
    // Own names only: `__proto__`, `constructor` or `toString` are no plan and no alias, though every object has them.
    if (!Object.hasOwn(config.plans, plan)) {
      throw badRequest(
        `Unknown plan "${plan}"; configured: ${Object.keys(config.plans).join(', ')}.`,
        'unknown_plan',
        'plan',
      );
    }
    const unknownModels = (input.models ?? []).filter((alias) => !Object.hasOwn(config.models, alias));
    if (unknownModels.length > 0) {
      throw badRequest(
        `Unknown model alias ${unknownModels.map((m) => `"${m}"`).join(', ')}.`,
        'unknown_model',
        'models',
      );
    }
    const now = this.now();
    let expiresAt: string | null = null;
    if (input.expiresAt !== undefined) {
      const at = new Date(input.expiresAt);
      if (at.getTime() <= now.getTime())
        throw badRequest('expiresAt must be in the future.', 'invalid_expiry', 'expiresAt');
      expiresAt = at.toISOString();
    }
    return this.issue({
      tenant: input.tenant,
      name: input.name ?? `${input.tenant} key`,
      plan,
      models: input.models === undefined ? null : [...new Set(input.models)],
      scopes: [...new Set<Scope>(input.scopes ?? ['chat'])],
      expiresAt,
      rotatedFrom: null,
      labels: { ...input.labels },
    });
  }

  async get(id: string): Promise<KeyRecord> {
    const record = await this.deps.store.findById(id);
    if (record === undefined) throw keyNotFound(id);
    return record;
  }

  list(tenant?: string): Promise<KeyRecord[]> {
    return this.deps.store.list(tenant);
  }

  /** Revokes at once (authorizer caches may still honour the key for up to auth.cacheTtlSeconds). */
  async revoke(id: string): Promise<KeyRecord> {
    const record = await this.get(id);
    if (record.status !== 'revoked') await this.deps.store.revoke(record.hash);
    return { ...record, status: 'revoked' };
  }

  /** A new key with the same tenant, plan, models, scopes, expiry and labels; the old one works for the grace period. */
  async rotate(id: string, graceSeconds?: number): Promise<IssuedKey> {
    const old = await this.get(id);
    if (old.status !== 'active') throw notActive(old);
    const issued = await this.issue({
      tenant: old.tenant,
      name: old.name,
      plan: old.plan,
      models: old.models,
      scopes: old.scopes,
      expiresAt: old.expiresAt,
      rotatedFrom: old.id,
      labels: old.labels,
    });
    const grace = graceSeconds ?? this.deps.config.auth.rotationGraceSeconds;
    const graceUntil = new Date(this.now().getTime() + grace * 1000).toISOString();
    if (!(await this.deps.store.markRotated(old.hash, issued.record.id, graceUntil))) {
      await this.deps.store.revoke(issued.record.hash);
      throw notActive(old);
    }
    return issued;
  }

  private async issue(
    fields: Pick<KeyRecord, 'tenant' | 'name' | 'plan' | 'models' | 'scopes' | 'expiresAt' | 'rotatedFrom' | 'labels'>,
  ): Promise<IssuedKey> {
    const key = generateKey();
    const record: KeyRecord = {
      ...fields,
      hash: hashKey(key),
      id: newId('key_'),
      status: 'active',
      last4: key.slice(-4),
      usageKey: await this.deps.usageKeys.forTenant(fields.tenant, fields.plan),
      createdAt: this.now().toISOString(),
      lastUsedAt: null,
      rotatedTo: null,
      graceUntil: null,
    };
    await this.deps.store.create(record);
    return { key, record };
  }
}

const notActive = (record: KeyRecord): GatewayError =>
  new GatewayError({
    message: `Key ${record.id} is ${record.status}; only an active key can be rotated.`,
    code: 'key_not_active',
  });
