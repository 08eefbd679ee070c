import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { FAKE_EMBEDDING_DIMENSIONS } from '../fakes/fake-openai-embeddings.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { tempDir } from './tmp.js';

export const ADMIN_KEY = 'admin-embeddings-0123456789';
const DIMS = FAKE_EMBEDDING_DIMENSIONS;

/**
 * Embedding aliases on a local gateway in front of two fake OpenAI upstreams:
 *  - `embed`: OpenAI `text-embedding-3-small` on `primary` (0.02 USD per 1M input tokens);
 *  - `embed-fallback`: `primary`, then the OpenAI-compatible `backup` (`bge-small`, 0.01 USD per 1M);
 *  - `embed-echo`: the echo provider, 16 dimensions; `chat`: a chat alias on `primary`.
 * Plans: `default`; `guarded` (PII blocked: email; a deny rule on "bluebird"); `redacting` (PII redacted: email);
 * `tight` (50 tokens a day per key, one reservation per request). One try per target.
 */
export function embeddingsConfig(primaryUrl: string, backupUrl: string): object {
  const one = { retry: { attempts: 1 } };
  const plan = (extra: object = {}) => ({ rateLimit: 1000, burstLimit: 1000, ...extra });
  return {
    providers: {
      primary: { type: 'openai', baseURL: primaryUrl, apiKeyEnv: 'TEST_EMBED_PRIMARY_KEY', timeoutMs: 5000 },
      backup: { type: 'openai-compatible', baseURL: backupUrl, apiKeyEnv: 'TEST_EMBED_BACKUP_KEY', timeoutMs: 5000 },
      echo: { type: 'echo' },
    },
    models: {
      embed: {
        kind: 'embedding',
        targets: [{ provider: 'primary', model: 'text-embedding-3-small', dimensions: DIMS }],
        ...one,
      },
      'embed-fallback': {
        kind: 'embedding',
        targets: [
          { provider: 'primary', model: 'text-embedding-3-small', dimensions: DIMS },
          { provider: 'backup', model: 'bge-small', dimensions: DIMS },
        ],
        ...one,
      },
      'embed-echo': { kind: 'embedding', targets: [{ provider: 'echo', model: 'echo-embed', dimensions: 16 }] },
      chat: { targets: [{ provider: 'primary', model: 'gpt-4o-mini' }], ...one },
    },
    plans: {
      default: plan(),
      guarded: plan({
        policies: { pii: { mode: 'block', detectors: ['email'] }, deny: [{ pattern: 'bluebird', flags: 'i' }] },
      }),
      redacting: plan({ policies: { pii: { mode: 'redact', detectors: ['email'] } } }),
      tight: plan({ quotas: { key: { tokensPerDay: 50 }, leaseRequests: 1 } }),
    },
    auth: { cacheTtlSeconds: 0 },
    prices: {
      primary: {
        'text-embedding-3-small': { input: 0.02 },
        'gpt-4o-mini': { input: 0.15, output: 0.6 },
      },
      backup: { 'bge-small': { input: 0.01 } },
    },
  };
}

export interface EmbeddingsGateway {
  readonly gateway: LocalGateway;
  readonly primary: FakeOpenAI;
  readonly backup: FakeOpenAI;
  /** The openai SDK with its defaults (base64 on the wire), the dev key. */
  readonly client: OpenAI;
  /** A key of `tenant` on `plan`, with the chat and usage:read scopes. */
  keyFor(tenant: string, plan: string): Promise<{ key: string; id: string }>;
  stop(): Promise<void>;
}

export async function startEmbeddingsGateway(): Promise<EmbeddingsGateway> {
  const primary = await startFakeOpenAI({ apiKey: 'sk-embed-primary' });
  const backup = await startFakeOpenAI({ apiKey: 'sk-embed-backup' });
  process.env.TEST_EMBED_PRIMARY_KEY = primary.apiKey;
  process.env.TEST_EMBED_BACKUP_KEY = backup.apiKey;
  const dir = tempDir('gw-embeddings');
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(configFile, JSON.stringify(embeddingsConfig(primary.url, backup.url)));
  const gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile,
    adminKey: ADMIN_KEY,
  });
  return {
    gateway,
    primary,
    backup,
    client: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0, timeout: 10_000 }),
    keyFor: async (tenant, plan) => {
      const created = await fetch(`${gateway.url}/admin/keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ tenant, plan, scopes: ['chat', 'usage:read'] }),
      });
      if (created.status !== 201) throw new Error(`key creation failed: ${created.status}`);
      return (await created.json()) as { key: string; id: string };
    },
    stop: async () => {
      await gateway.stop();
      await primary.close();
      await backup.close();
      delete process.env.TEST_EMBED_PRIMARY_KEY;
      delete process.env.TEST_EMBED_BACKUP_KEY;
      dir.remove();
    },
  };
}
