import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { closeBedrockClients } from '../../lambdas/providers/bedrock/bedrock-client.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { startFakeBedrock, type FakeBedrock } from '../fakes/fake-bedrock.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { anthropicClient } from './chat-gateway.js';
import { tempDir } from './tmp.js';

/** The upstream model ids of the Bedrock gateway's aliases. */
export const CLAUDE_ON_BEDROCK = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const GUARDRAIL = { identifier: 'gr-fake01', version: '3' };
export const BEDROCK_PRICES = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };

export interface BedrockGateway {
  readonly bedrock: FakeBedrock;
  readonly openai: FakeOpenAI;
  readonly gateway: LocalGateway;
  /** The openai SDK and @anthropic-ai/sdk pointed at the gateway with the dev key. */
  readonly client: OpenAI;
  readonly anthropic: Anthropic;
}

/**
 * For one test file: a fake Bedrock runtime (AWS_ENDPOINT_URL_BEDROCK_RUNTIME; the SDK's credential chain takes the
 * test environment's fake keys), a fake OpenAI, and a local gateway with the aliases
 *   `claude`    → Bedrock (CLAUDE_ON_BEDROCK, us-east-1), priced BEDROCK_PRICES
 *   `guarded`   → the same model with GUARDRAIL
 *   `fallback`  → Bedrock, then OpenAI
 *   `patient`   → Bedrock with connectMs 100 (a JSON answer may take far longer: connectMs bounds the connection)
 * one try per target. Started before all tests, stopped after them; the fakes' records cleared before each test.
 */
export function bedrockFixture(): BedrockGateway {
  let state: BedrockGateway | undefined;
  const dir = tempDir('gw-bedrock');
  beforeAll(async () => {
    const bedrock = await startFakeBedrock();
    const openai = await startFakeOpenAI();
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = bedrock.url;
    process.env.TEST_BEDROCK_OPENAI_KEY = openai.apiKey;
    const configFile = join(dir.path, 'gateway.config.json');
    const bedrockTarget = { provider: 'bedrock', model: CLAUDE_ON_BEDROCK };
    writeFileSync(
      configFile,
      JSON.stringify({
        providers: {
          bedrock: { type: 'bedrock', region: 'us-east-1', timeoutMs: 5000 },
          openai: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'TEST_BEDROCK_OPENAI_KEY', timeoutMs: 5000 },
        },
        models: {
          claude: { targets: [bedrockTarget], retry: { attempts: 1 } },
          guarded: { targets: [{ ...bedrockTarget, guardrail: GUARDRAIL }], retry: { attempts: 1 } },
          fallback: { targets: [bedrockTarget, { provider: 'openai', model: 'gpt-fallback' }], retry: { attempts: 1 } },
          patient: {
            targets: [bedrockTarget],
            retry: { attempts: 1 },
            timeouts: { requestMs: 5000, connectMs: 100, firstByteMs: 5000, idleMs: 5000 },
          },
        },
        plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
        auth: { cacheTtlSeconds: 0 },
        prices: { bedrock: { [CLAUDE_ON_BEDROCK]: BEDROCK_PRICES } },
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
    state = { bedrock, openai, gateway, client, anthropic: anthropicClient(gateway.url, gateway.devKey.key) };
  });
  afterAll(async () => {
    await state?.gateway.stop();
    closeBedrockClients();
    await state?.bedrock.close();
    await state?.openai.close();
    delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    delete process.env.TEST_BEDROCK_OPENAI_KEY;
    dir.remove();
  });
  beforeEach(() => {
    if (state === undefined) return;
    state.bedrock.requests.length = 0;
    state.openai.requests.length = 0;
  });
  const started = (): BedrockGateway => {
    if (state === undefined) throw new Error('bedrockFixture: used before beforeAll ran');
    return state;
  };
  return {
    get bedrock() {
      return started().bedrock;
    },
    get openai() {
      return started().openai;
    },
    get gateway() {
      return started().gateway;
    },
    get client() {
      return started().client;
    },
    get anthropic() {
      return started().anthropic;
    },
  };
}
