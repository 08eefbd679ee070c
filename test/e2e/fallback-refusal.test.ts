import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { reply, startFakeOpenAI, type FakeOpenAI, type Script } from '../fakes/fake-openai.js';
import { apiFailure } from '../helpers/api-error.js';
import { tempDir } from '../helpers/tmp.js';

// The default config's `fast` alias: OpenAI first, Anthropic as the fallback, whose API version has no temperature.
// With OpenAI down, a request with `temperature` used to end in Anthropic's refusal (400 unsupported_parameter): an
// outage turned into the client's fault. Now the refusal moves on, and with no target left the answer is the outage
// (502, x-should-retry: false). An alias whose first target refuses still answers the 400 naming the field.
// The openai SDK with its default settings (2 retries, which x-should-retry: false turns off).
const dir = tempDir('gw-fallback-refusal');
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let gateway: LocalGateway;
let openaiAnswer: Script = reply.serverError(500);
const GATEWAY_TRIES = 2;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: 'sk-fast-openai', defaultReply: () => openaiAnswer });
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-fast' });
  Object.assign(process.env, { FAST_OPENAI_KEY: openai.apiKey, FAST_ANTHROPIC_KEY: anthropic.apiKey });
  const routing = {
    strategy: 'fallback',
    retry: { attempts: GATEWAY_TRIES, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 10 },
    breaker: { failures: 1000 },
  };
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        openai: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'FAST_OPENAI_KEY' },
        anthropic: { type: 'anthropic', baseURL: anthropic.url, apiKeyEnv: 'FAST_ANTHROPIC_KEY' },
      },
      models: {
        fast: {
          ...routing,
          targets: [
            { provider: 'openai', model: 'gpt-4o-mini' },
            { provider: 'anthropic', model: 'claude-haiku-4-5' },
          ],
        },
        'claude-first': {
          ...routing,
          targets: [
            { provider: 'anthropic', model: 'claude-haiku-4-5' },
            { provider: 'openai', model: 'gpt-4o-mini' },
          ],
        },
      },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
});
afterAll(async () => {
  await gateway.stop();
  await openai.close();
  await anthropic.close();
  delete process.env.FAST_OPENAI_KEY;
  delete process.env.FAST_ANTHROPIC_KEY;
  dir.remove();
});
beforeEach(() => {
  openai.requests.length = 0;
  anthropic.requests.length = 0;
  openaiAnswer = reply.serverError(500);
});

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key });
const ask = (model = 'fast') => ({
  model,
  temperature: 0.2,
  messages: [{ role: 'user' as const, content: 'Hi' }],
});

it.each([
  ['500', reply.serverError(500)],
  ['503', reply.overloaded()],
])('OpenAI %s, Anthropic refuses temperature: 502 (the outage), not the 400', async (_name, answer) => {
  openaiAnswer = answer;
  const error = await apiFailure(client().chat.completions.create(ask()));
  expect(error.status).toBe(502);
  expect(error.code).toBe('upstream_error');
  expect(error.headers?.get('x-should-retry')).toBe('false');
  expect(error.headers?.get('retry-after')).toBeNull();
  // Only the gateway's tries on OpenAI (the SDK did not retry), and nothing sent to Anthropic: it refused.
  expect(openai.requests).toHaveLength(GATEWAY_TRIES);
  expect(anthropic.requests).toHaveLength(0);
});

it('the same as a stream: 502 before any content', async () => {
  const error = await apiFailure(client().chat.completions.create({ ...ask(), stream: true }));
  expect(error.status).toBe(502);
  expect(error.headers?.get('x-should-retry')).toBe('false');
  expect(anthropic.requests).toHaveLength(0);
});

it('OpenAI down, a request Anthropic can honour: served by Anthropic', async () => {
  const { temperature: _dropped, ...plain } = ask();
  const { data, response } = await client().chat.completions.create(plain).withResponse();
  expect(data.choices[0]?.message.content).toBe('Hi');
  expect(response.headers.get('x-gateway-provider')).toBe('anthropic');
  expect(anthropic.requests).toHaveLength(1);
});

it('OpenAI up: temperature goes to OpenAI as sent', async () => {
  openaiAnswer = reply.text('from openai');
  const answer = await client().chat.completions.create(ask());
  expect(answer.choices[0]?.message.content).toBe('from openai');
  expect(openai.requests[0]?.body).toMatchObject({ temperature: 0.2 });
});

it('the first target refuses: 400 naming temperature, no target tried (also on /v1/messages)', async () => {
  openaiAnswer = reply.text('never asked');
  const error = await apiFailure(client().chat.completions.create(ask('claude-first')));
  expect(error).toBeInstanceOf(APIError);
  expect({ status: error.status, code: error.code, param: error.param }).toEqual({
    status: 400,
    code: 'unsupported_parameter',
    param: 'temperature',
  });
  const sdk = new Anthropic({ baseURL: gateway.url, apiKey: gateway.devKey.key });
  const refused = await sdk.messages.create({ ...ask('claude-first'), max_tokens: 16 }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
  expect(openai.requests).toHaveLength(0);
  expect(anthropic.requests).toHaveLength(0);
});
