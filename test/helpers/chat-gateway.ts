import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { tempDir } from './tmp.js';
import type { FakeServer } from '../fakes/fake-server.js';

export interface ChatGateway {
  readonly gateway: LocalGateway;
  /** The official openai SDK pointed at the gateway with the dev key. */
  readonly client: OpenAI;
  /** The official @anthropic-ai/sdk pointed at the gateway (/v1/messages) with the dev key. */
  readonly anthropic: Anthropic;
  stop(): Promise<void>;
}

/**
 * @anthropic-ai/sdk as an app would point it at the gateway: base URL without /v1 (the SDK adds /v1/messages), the
 * gateway key as `apiKey` (sent as Authorization: Bearer), no retries so each test sees one request.
 */
export const anthropicClient = (url: string, key: string): Anthropic =>
  new Anthropic({ baseURL: url, apiKey: key, maxRetries: 0, timeout: 10_000 });

/**
 * A local gateway whose `target` alias goes to one upstream provider (a fake), its key in an environment
 * variable as locally configured providers have it. One try per request: these tests are about translation;
 * retries and failover have tests of their own.
 */
export async function startChatGateway(
  provider: { type: 'openai' | 'anthropic'; baseURL: string; apiKey: string; api?: 'chat' | 'responses' },
  prices: Record<string, number> | undefined = undefined,
  extra: Record<string, unknown> = {},
): Promise<ChatGateway> {
  const dir = tempDir(`gw-chat-${provider.type}`);
  const keyEnv = `TEST_${provider.type.toUpperCase()}_UPSTREAM_KEY`;
  process.env[keyEnv] = provider.apiKey;
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        upstream: {
          type: provider.type,
          baseURL: provider.baseURL,
          apiKeyEnv: keyEnv,
          timeoutMs: 5000,
          ...(provider.api === undefined ? {} : { api: provider.api }),
        },
      },
      models: {
        target: {
          targets: [{ provider: 'upstream', model: `${provider.type}-upstream-model` }],
          retry: { attempts: 1 },
        },
      },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
      ...(prices === undefined ? {} : { prices: { upstream: { [`${provider.type}-upstream-model`]: prices } } }),
      ...extra,
    }),
  );
  const gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile,
    adminKey: 'admin',
  });
  const client = new OpenAI({
    baseURL: `${gateway.url}/v1`,
    apiKey: gateway.devKey.key,
    maxRetries: 0,
    timeout: 10_000,
  });
  return {
    gateway,
    client,
    anthropic: anthropicClient(gateway.url, gateway.devKey.key),
    stop: async () => {
      await gateway.stop();
      delete process.env[keyEnv];
      dir.remove();
    },
  };
}

type FakeUpstream = Pick<FakeServer<unknown, unknown>, 'url' | 'apiKey' | 'requests' | 'close'>;

export interface ChatFixture<F extends FakeUpstream> {
  readonly fake: F;
  readonly client: OpenAI;
  readonly anthropic: Anthropic;
  readonly gateway: LocalGateway;
}

/**
 * A fake upstream and a gateway in front of it for one test file: started before all tests, stopped after them,
 * the fake's recorded requests cleared before each test. `extra`: top-level configuration sections (e.g. plans);
 * `api`: an OpenAI provider's lane for /v1/responses (`chat`: through chat completions, as other targets translate).
 */
export function chatFixture<F extends FakeUpstream>(
  type: 'openai' | 'anthropic',
  startFake: () => Promise<F>,
  prices?: Record<string, number>,
  extra?: Record<string, unknown>,
  api?: 'chat' | 'responses',
): ChatFixture<F> {
  let fake: F | undefined;
  let chat: ChatGateway | undefined;
  beforeAll(async () => {
    fake = await startFake();
    chat = await startChatGateway(
      { type, baseURL: fake.url, apiKey: fake.apiKey, ...(api === undefined ? {} : { api }) },
      prices,
      extra,
    );
  });
  afterAll(async () => {
    await chat?.stop();
    await fake?.close();
  });
  beforeEach(() => {
    if (fake !== undefined) fake.requests.length = 0;
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('chatFixture: used before beforeAll ran');
    return value;
  };
  return {
    get fake() {
      return started(fake);
    },
    get client() {
      return started(chat).client;
    },
    get anthropic() {
      return started(chat).anthropic;
    },
    get gateway() {
      return started(chat).gateway;
    },
  };
}
