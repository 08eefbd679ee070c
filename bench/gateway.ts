import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildHandle } from './children.js';
import { registerCleanup } from './cleanup.js';
import { startNodeArgs } from './start-args.js';
import type { Upstream } from './upstream.js';
import { STATS_PATH } from '../local/transact-front.js';

/** The gateway child's name (its log file is named after it). */
export const GATEWAY_CHILD = 'gateway (bin/local.ts)';

export interface BenchGateway {
  readonly url: string;
  /** A gateway key for the `bench` tenant, created through the admin API. */
  readonly key: string;
  readonly handle: ChildHandle;
  /** DynamoDB calls the gateway's embedded store has served so far, per operation. */
  storeCalls(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * The gateway's configuration: the fake as an openai-compatible provider behind alias `bench` (and `bench-cached`,
 * the same with the response cache on: the gateway-cache rows), priced, and a plan
 * whose limits are far above the load but on: every request reserves its tenant budget and settles it with the
 * ledger, as in production.
 */
export function benchConfig(upstreamUrl: string): object {
  return {
    providers: { bench: { type: 'openai-compatible', baseURL: upstreamUrl, apiKeyEnv: 'BENCH_UPSTREAM_KEY' } },
    models: {
      bench: { targets: [{ provider: 'bench', model: 'gpt-4o-mini' }] },
      // The bench request has no temperature (sampled by the provider's default): cached only with cacheSampled.
      'bench-cached': {
        targets: [{ provider: 'bench', model: 'gpt-4o-mini' }],
        cache: { ttlSeconds: 3600, cacheSampled: true },
      },
    },
    plans: {
      bench: {
        description: 'Benchmark: limits far above the load, quotas on',
        rateLimit: 5_000,
        burstLimit: 5_000,
        quotas: { tenant: { usdPerMonth: 1_000_000 } },
      },
    },
    auth: { cacheTtlSeconds: 300, defaultPlan: 'bench', rotationGraceSeconds: 0 },
    prices: { bench: { 'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 } } },
  };
}

function getStats(url: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    // A connection of its own each time (agent: false): a kept-alive one may be closed by the store while idle.
    const req = get(url, { agent: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (part: string) => (text += part));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`the store's stats answered ${res.statusCode ?? '?'}`));
        try {
          resolve((JSON.parse(text) as { calls: Record<string, number> }).calls);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error("the store's stats did not answer within 10 s")));
    req.on('error', reject);
  });
}

/** The embedded store's call counters (GET /_local/stats on its front); tried twice. */
async function readStoreCalls(storeEndpoint: string): Promise<Record<string, number>> {
  const url = `${storeEndpoint}${STATS_PATH}`;
  try {
    return await getStats(url);
  } catch {
    return getStats(url);
  }
}

async function createKey(url: string, adminKey: string): Promise<string> {
  const res = await fetch(`${url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      tenant: 'bench',
      name: 'benchmark',
      plan: 'bench',
      models: ['bench', 'bench-cached'],
      scopes: ['chat'],
    }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /admin/keys answered ${res.status}: ${text.slice(0, 300)}`);
  const key = (JSON.parse(text) as { key?: unknown }).key;
  if (typeof key !== 'string') throw new Error(`POST /admin/keys returned no key: ${text.slice(0, 300)}`);
  return key;
}

/**
 * `npm start`'s entry point (bin/start.mjs: bin/local.ts bundled, with `npm start`'s node flags) as a child process on port 0, with a temporary data directory and
 * configuration, and a fresh gateway key (`extraEnv` on top, e.g. DYNAMODB_ENDPOINT for an external store). Everything
 * temporary goes when it stops.
 */
export async function startBenchGateway(
  upstream: Upstream,
  nodeArgs: readonly string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<BenchGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-bench-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const unregister = registerCleanup(remove);
  const cleanUp = (): void => {
    remove();
    unregister();
  };
  try {
    const configFile = join(dir, 'gateway.config.json');
    writeFileSync(configFile, JSON.stringify(benchConfig(upstream.url), null, 2));
    const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      GATEWAY_CONFIG: configFile,
      GATEWAY_DATA_DIR: join(dir, 'data'),
      GATEWAY_ADMIN_KEY: adminKey,
      BENCH_UPSTREAM_KEY: upstream.apiKey,
    };
    delete env.DYNAMODB_ENDPOINT;
    Object.assign(env, extraEnv);
    const { handle, match } = await startChild(
      GATEWAY_CHILD,
      [...startNodeArgs(), ...nodeArgs, 'bin/start.mjs'],
      env,
      /LLM Gateway listening on (http:\/\/\S+)/,
    );
    const url = match[1] ?? '';
    const storeEndpoint = /store: {2}(?:embedded at )?(http:\/\/[^\s,]+)/.exec(handle.output())?.[1];
    try {
      if (storeEndpoint === undefined) throw new Error('the gateway did not say where its store is');
      const key = await createKey(url, adminKey);
      return {
        url,
        key,
        handle,
        storeCalls: () => readStoreCalls(storeEndpoint),
        stop: async () => {
          await handle.stop();
          cleanUp();
        },
      };
    } catch (err) {
      await handle.stop();
      throw err;
    }
  } catch (err) {
    cleanUp();
    throw err;
  }
}
