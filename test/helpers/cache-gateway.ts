import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { startFaultUpstream, type FaultUpstream } from '../fakes/fault-upstream.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { tempDir } from './tmp.js';

export const CACHE_ADMIN_KEY = 'admin-cache-0123456789';

/**
 * A local gateway for the response cache's tests, in front of a fake OpenAI upstream (`up`, counted) and a fault
 * upstream (`cut`: every stream truncated). Aliases: `cached` (60 s, per tenant), `shared` (60 s, namespace "faq"),
 * `sampled` (60 s, cacheSampled), `plain` (no cache), `embed` (embeddings, 60 s), `cut` (60 s, on the fault
 * upstream). Plans: `default`; `cachedPlan` (its plan caches every alias for 60 s; `plain` opts out). Prices of
 * `gpt-x`: 1 USD per 1M input tokens, 2 USD per 1M output; `emb-x`: 0.5 USD per 1M input.
 */
export interface CacheGateway {
  readonly gateway: LocalGateway;
  readonly up: FakeOpenAI;
  readonly faults: FaultUpstream;
  /** A key of `tenant` on `plan` (chat, usage:read), limited to `models` when given. */
  keyFor(tenant: string, plan?: string, models?: readonly string[]): Promise<string>;
  openai(key: string): OpenAI;
  anthropic(key: string): Anthropic;
  stop(): Promise<void>;
}

export async function startCacheGateway(name: string): Promise<CacheGateway> {
  const up = await startFakeOpenAI({ apiKey: 'sk-cache-up' });
  const faults = await startFaultUpstream();
  process.env.TEST_CACHE_UP_KEY = up.apiKey;
  const dir = tempDir(`gw-${name}`);
  const one = (provider: string, model: string, cache?: object) => ({
    targets: [{ provider, model }],
    retry: { attempts: 1 },
    ...(cache === undefined ? {} : { cache }),
  });
  const config = {
    providers: {
      up: { type: 'openai', baseURL: up.url, apiKeyEnv: 'TEST_CACHE_UP_KEY', timeoutMs: 5000 },
      cut: { type: 'openai', baseURL: faults.openAIUrl('truncated'), apiKeyEnv: 'TEST_CACHE_UP_KEY', timeoutMs: 5000 },
    },
    models: {
      cached: one('up', 'gpt-x', { ttlSeconds: 60 }),
      shared: one('up', 'gpt-x', { ttlSeconds: 60, scope: 'shared:faq' }),
      sampled: one('up', 'gpt-x', { ttlSeconds: 60, cacheSampled: true }),
      plain: one('up', 'gpt-x', { ttlSeconds: 0 }),
      cut: one('cut', 'gpt-x', { ttlSeconds: 60 }),
      embed: {
        kind: 'embedding',
        targets: [{ provider: 'up', model: 'emb-x', dimensions: 1536 }],
        retry: { attempts: 1 },
        cache: { ttlSeconds: 60 },
      },
      open: one('up', 'gpt-x'),
    },
    plans: {
      default: { rateLimit: 1000, burstLimit: 1000 },
      cachedPlan: { rateLimit: 1000, burstLimit: 1000, cache: { ttlSeconds: 60 } },
    },
    auth: { cacheTtlSeconds: 0 },
    prices: { up: { 'gpt-x': { input: 1, output: 2 }, 'emb-x': { input: 0.5 } } },
  };
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile,
    adminKey: CACHE_ADMIN_KEY,
  });
  return {
    gateway,
    up,
    faults,
    keyFor: async (tenant, plan = 'default', models) => {
      const created = await fetch(`${gateway.url}/admin/keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${CACHE_ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          tenant,
          plan,
          scopes: ['chat', 'usage:read'],
          ...(models === undefined ? {} : { models }),
        }),
      });
      if (created.status !== 201) throw new Error(`key creation failed: ${created.status}`);
      return ((await created.json()) as { key: string }).key;
    },
    openai: (key) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0, timeout: 10_000 }),
    anthropic: (key) => new Anthropic({ baseURL: gateway.url, apiKey: key, maxRetries: 0, timeout: 10_000 }),
    stop: async () => {
      await gateway.stop();
      await up.close();
      await faults.close();
      delete process.env.TEST_CACHE_UP_KEY;
      dir.remove();
    },
  };
}
