import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { DEFAULT_FAKE_ANTHROPIC_KEY, startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  DEFAULT_FAKE_OPENAI_KEY,
  startFakeOpenAI,
  type FakeOpenAI,
  type RecordedRequest,
} from '../fakes/fake-openai.js';
import { tempDir } from '../helpers/tmp.js';
import { record, type Json } from './request-reading.js';
import { BACKENDS, NOT_APPLICABLE, SCENARIOS, type BackendId, type ClientId, type ScenarioId } from './scenarios.js';
import { smartAnthropic, smartOpenAI, streamGate } from './smart-upstreams.js';

/**
 * The compat matrix's harness (test/compat/<client id>.test.ts, docs/COMPATIBILITY.md):
 *
 *   compatSuite('openai-sdk', { plain: async (ctx) => { ... }, stream: ..., ... every ScenarioId });
 *
 * runs, for each backend that serves the client, `describe('<client id> × <backend>')` with one `it('<scenario id>')` per scenario (the
 * names compat-reporter.cjs reads), against `compatBackend(backend)`: a local gateway whose alias `compat-model`
 * (MODEL) goes to that backend's smart fake (smart-upstreams.ts), one try per request, and the gateway key. The
 * fake's recorded requests are cleared before each test.
 */

export const MODEL = 'compat-model';

/** An upstream request as the fake recorded it (both fakes record this shape). */
export type UpstreamRequest = Pick<RecordedRequest, 'method' | 'path' | 'headers' | 'clientAborted' | 'closed'> & {
  readonly body: unknown;
};

export interface CompatContext {
  readonly backend: BackendId;
  /** The alias to ask for. */
  readonly model: string;
  /** The gateway's origin, without /v1 (http://127.0.0.1:<port>). */
  readonly gatewayUrl: string;
  /** `${gatewayUrl}/v1`. */
  readonly baseURL: string;
  /** A gateway key (the dev tenant's). */
  readonly key: string;
  /** The backend's fake: its recorded requests, in arrival order (cleared before each test). */
  readonly upstream: { readonly requests: readonly UpstreamRequest[] };
  /** The last upstream request's body (fails the test when there was none). */
  lastUpstreamBody(): Json;
  /**
   * Lets a held stream (HELD_STREAM_PROMPT) go on past its first text piece; true when it was still held, i.e. the
   * client saw that piece while the upstream had not sent the rest: the stream is incremental.
   */
  releaseStream(): boolean;
}

/** A test of one cell; or `{ notApplicable }`: a test demonstrating the reason NOT_APPLICABLE gives for the cell. */
export type ScenarioTest = (ctx: CompatContext) => Promise<void>;
export interface NotApplicable {
  readonly notApplicable: ScenarioTest;
}
export type ClientScenarios = { readonly [S in ScenarioId]: ScenarioTest | NotApplicable };

type Fake = FakeOpenAI | FakeAnthropic;

/**
 * Every backend's provider is in every compat gateway's configuration, with its key in an environment variable set
 * once: the local key source is built once per process from the first configuration it sees, and a test file runs
 * one gateway per backend in the same process. Only the backend's own provider is reachable (and routed to). Both
 * OpenAI backends are the same smart fake (smart-upstreams.ts), reached through chat completions (`api: "chat"`) or
 * through its Responses API (the native lane: the default `api`).
 */
const PROVIDERS: {
  readonly [B in BackendId]: {
    readonly name: string;
    readonly type: 'openai' | 'anthropic';
    readonly keyEnv: string;
    readonly key: string;
    readonly path: string;
    readonly api?: 'chat';
  };
} = {
  openai: {
    name: 'compat-openai',
    type: 'openai',
    keyEnv: 'COMPAT_OPENAI_UPSTREAM_KEY',
    key: DEFAULT_FAKE_OPENAI_KEY,
    path: '/v1',
    api: 'chat',
  },
  'openai-native': {
    name: 'compat-openai-native',
    type: 'openai',
    keyEnv: 'COMPAT_OPENAI_UPSTREAM_KEY',
    key: DEFAULT_FAKE_OPENAI_KEY,
    path: '/v1',
  },
  anthropic: {
    name: 'compat-anthropic',
    type: 'anthropic',
    keyEnv: 'COMPAT_ANTHROPIC_UPSTREAM_KEY',
    key: DEFAULT_FAKE_ANTHROPIC_KEY,
    path: '',
  },
};
for (const { keyEnv, key } of Object.values(PROVIDERS)) process.env[keyEnv] = key;
const UNREACHABLE = 'http://127.0.0.1:9';

async function startGateway(backend: BackendId, fake: Fake): Promise<{ gateway: LocalGateway; stop(): Promise<void> }> {
  const dir = tempDir(`gw-compat-${backend}`);
  const providers = Object.fromEntries(
    BACKENDS.map(({ id }) => {
      const { name, type, keyEnv, path, api } = PROVIDERS[id];
      const baseURL = id === backend ? fake.url : `${UNREACHABLE}${path}`;
      return [name, { type, baseURL, apiKeyEnv: keyEnv, timeoutMs: 15_000, ...(api === undefined ? {} : { api }) }];
    }),
  );
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers,
      models: {
        [MODEL]: {
          targets: [{ provider: PROVIDERS[backend].name, model: `${backend}-compat-upstream` }],
          retry: { attempts: 1 },
        },
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

/** A gateway in front of `backend`'s smart fake for the enclosing describe block: started before, stopped after. */
export function compatBackend(backend: BackendId): CompatContext {
  let fake: Fake | undefined;
  const gate = streamGate();
  let running: { gateway: LocalGateway; stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    fake =
      backend === 'anthropic'
        ? await startFakeAnthropic({ defaultReply: smartAnthropic(gate) })
        : await startFakeOpenAI({ defaultReply: smartOpenAI(gate) });
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
    if (running === undefined) throw new Error('compatBackend: used before beforeAll ran');
    return running.gateway;
  };
  const requests = (): readonly UpstreamRequest[] => fake?.requests ?? [];
  return {
    backend,
    model: MODEL,
    get gatewayUrl() {
      return gateway().url;
    },
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
    releaseStream: () => gate.release(),
  };
}

/** The one upstream path each OpenAI backend's cells may use: the lane the column names. */
const LANES: { readonly [B in BackendId]?: string } = {
  openai: '/v1/chat/completions',
  'openai-native': '/v1/responses',
};

/** The backends that serve `client` (scenarios.ts: a backend with `clients` serves only those). */
export const backendsOf = (client: ClientId): (typeof BACKENDS)[number][] =>
  BACKENDS.filter((backend) => !('clients' in backend) || (backend.clients as readonly string[]).includes(client));

/** Whether the backend is an OpenAI target (through chat completions or the native Responses lane). */
export const openAIBacked = (ctx: Pick<CompatContext, 'backend'>): boolean => ctx.backend !== 'anthropic';

/** The matrix rows of one client: every scenario on every backend that serves it. */
export function compatSuite(client: ClientId, scenarios: ClientScenarios): void {
  for (const { id: backend } of backendsOf(client)) {
    describe(`${client} × ${backend}`, () => {
      const ctx = compatBackend(backend);
      for (const { id } of SCENARIOS) {
        it(id, async () => {
          const cell = scenarios[id];
          const reason = NOT_APPLICABLE[client]?.[id];
          if ('notApplicable' in cell) {
            expect(reason).toEqual(expect.stringMatching(/\S/));
            await cell.notApplicable(ctx);
          } else {
            expect(reason).toBeUndefined();
            await cell(ctx);
          }
          const lane = LANES[backend];
          const paths = ctx.upstream.requests.map((request) => request.path.split('?')[0]);
          if (lane !== undefined) expect(paths).toEqual(paths.map(() => lane));
        });
      }
    });
  }
}
