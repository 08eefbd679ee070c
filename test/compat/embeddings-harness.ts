import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { FAKE_EMBEDDING_DIMENSIONS } from '../fakes/fake-openai-embeddings.js';
import { RATE_LIMIT_RETRY_AFTER_S } from './smart-upstreams.js';
import { embeddingsBody } from '../fakes/fake-openai-embeddings.js';
import { reply, startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Script } from '../fakes/fake-openai.js';
import { tempDir } from '../helpers/tmp.js';
import { record, type Json } from './request-reading.js';
import {
  EMBEDDING_BACKENDS,
  EMBEDDING_NOT_APPLICABLE,
  EMBEDDING_SCENARIOS,
  type EmbeddingBackendId,
  type EmbeddingClientId,
  type EmbeddingScenarioId,
} from './scenarios.js';

/**
 * The embeddings table's harness (docs/COMPATIBILITY.md, "Embeddings"): as harness.ts for chat,
 *
 *   embeddingsSuite('openai-sdk-embeddings', { single: async (ctx) => { ... }, ... every EmbeddingScenarioId });
 *
 * runs `describe('<client id> × <backend>')` with one `it('<scenario id>')` per scenario, against a local gateway
 * whose embedding alias `compat-embed` (EMBED_MODEL, EMBED_DIMENSIONS wide) goes to a fake OpenAI through a provider
 * of the backend's type, and whose chat alias `compat-chat` goes to the same fake. One try per request; the fake's
 * recorded requests are cleared before each test. The fake answers /v1/embeddings deterministically
 * (fake-openai-embeddings.ts: `fakeEmbedding(input, dimensions)`), and an input containing RATE_LIMITED_INPUT with a
 * 429 (Retry-After as in smart-upstreams.ts, which clients do not wait out).
 */

export const EMBED_MODEL = 'compat-embed';
export const CHAT_MODEL = 'compat-chat';
export const EMBED_DIMENSIONS = FAKE_EMBEDDING_DIMENSIONS;
const UPSTREAM_MODEL = 'compat-embedding-upstream';
export const RATE_LIMITED_INPUT = 'FAIL_429';
const UNREACHABLE = 'http://127.0.0.1:9/v1';

const embeddingsModel = (request: RecordedRequest): Script =>
  JSON.stringify(record(request.body).input ?? '').includes(RATE_LIMITED_INPUT)
    ? reply.rateLimit(RATE_LIMIT_RETRY_AFTER_S)
    : reply.json(embeddingsBody(request.body));

export interface EmbeddingsContext {
  readonly backend: EmbeddingBackendId;
  /** The embedding alias to ask for. */
  readonly model: string;
  /** A chat alias (refused on /v1/embeddings). */
  readonly chatModel: string;
  /** `${gateway origin}/v1`. */
  readonly baseURL: string;
  /** A gateway key (the dev tenant's). */
  readonly key: string;
  /** The fake's recorded requests, in arrival order (cleared before each test). */
  readonly upstream: { readonly requests: readonly { readonly body: unknown }[] };
  /** The last upstream request's body (fails the test when there was none). */
  lastUpstreamBody(): Json;
}

export type EmbeddingTest = (ctx: EmbeddingsContext) => Promise<void>;
export type EmbeddingScenarios = {
  readonly [S in EmbeddingScenarioId]: EmbeddingTest | { readonly notApplicable: EmbeddingTest };
};

async function startGateway(
  backend: EmbeddingBackendId,
  fake: FakeOpenAI,
): Promise<{ gateway: LocalGateway; stop(): Promise<void> }> {
  const dir = tempDir(`gw-compat-embed-${backend}`);
  // Provider clients and breakers are kept per process by provider name, and the local key source is built once per
  // process from the first configuration: every gateway has both backends' providers (each its own name, the same key
  // variable), only its own reachable.
  const keyEnv = 'COMPAT_EMBEDDINGS_UPSTREAM_KEY';
  process.env[keyEnv] = fake.apiKey;
  const provider = `compat-embed-${backend}`;
  const providers = Object.fromEntries(
    EMBEDDING_BACKENDS.map(({ id }) => [
      `compat-embed-${id}`,
      { type: id, baseURL: id === backend ? fake.url : UNREACHABLE, apiKeyEnv: keyEnv, timeoutMs: 15_000 },
    ]),
  );
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers,
      models: {
        [EMBED_MODEL]: {
          kind: 'embedding',
          targets: [{ provider, model: UPSTREAM_MODEL, dimensions: EMBED_DIMENSIONS }],
          retry: { attempts: 1 },
        },
        [CHAT_MODEL]: { targets: [{ provider, model: 'compat-chat-upstream' }], retry: { attempts: 1 } },
      },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  const gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile,
    adminKey: 'admin',
  });
  return {
    gateway,
    stop: async () => {
      await gateway.stop();
      dir.remove();
    },
  };
}

/** A gateway in front of a fake OpenAI reached as `backend` for the enclosing describe block. */
function embeddingsBackend(backend: EmbeddingBackendId): EmbeddingsContext {
  let fake: FakeOpenAI | undefined;
  let running: { gateway: LocalGateway; stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ embeddingsReply: embeddingsModel });
    running = await startGateway(backend, fake);
  });
  afterAll(async () => {
    await running?.stop();
    await fake?.close();
  });
  beforeEach(() => {
    if (fake !== undefined) fake.requests.length = 0;
  });
  const gateway = (): LocalGateway => {
    if (running === undefined) throw new Error('embeddingsBackend: used before beforeAll ran');
    return running.gateway;
  };
  const requests = () => fake?.requests ?? [];
  return {
    backend,
    model: EMBED_MODEL,
    chatModel: CHAT_MODEL,
    get baseURL() {
      return `${gateway().url}/v1`;
    },
    get key() {
      return gateway().devKey.key;
    },
    upstream: {
      get requests() {
        return requests();
      },
    },
    lastUpstreamBody: () => {
      const last = requests().at(-1);
      if (last === undefined) throw new Error('no upstream request was recorded');
      return record(last.body);
    },
  };
}

/** The embeddings table's rows of one client: every scenario on every backend. */
export function embeddingsSuite(client: EmbeddingClientId, scenarios: EmbeddingScenarios): void {
  for (const { id: backend } of EMBEDDING_BACKENDS) {
    describe(`${client} × ${backend}`, () => {
      const ctx = embeddingsBackend(backend);
      for (const { id } of EMBEDDING_SCENARIOS) {
        it(id, async () => {
          const cell = scenarios[id];
          const reason = EMBEDDING_NOT_APPLICABLE[client]?.[id];
          if ('notApplicable' in cell) {
            expect(reason).toEqual(expect.stringMatching(/\S/));
            await cell.notApplicable(ctx);
          } else {
            expect(reason).toBeUndefined();
            await cell(ctx);
          }
        });
      }
    });
  }
}
