import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { OPENAI_COMPATIBLE_PRESETS } from '../../lambdas/config/vendor-schemas.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { VENDOR_USAGE, vendorReply } from '../fakes/fake-vendors.js';
import { apiFailure } from '../helpers/api-error.js';
import { ledgerOf } from '../helpers/ledger.js';
import { tempDir } from '../helpers/tmp.js';

// The openai-compatible presets end to end: the openai SDK (default settings) → the gateway → a fake that answers as
// each vendor does (fake-vendors.ts): what it refuses never reaches it (dropped and named, or a 400 naming the field
// before anything is sent), its error bodies come back as its message, and its usage (cached tokens included) is
// what the ledger books, JSON and stream.
const dir = tempDir('gw-vendors');
let fake: FakeOpenAI;
let gateway: LocalGateway;
const PRICE = { input: 1, cachedInput: 0.5, output: 2 };

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-vendors', defaultReply: vendorReply });
  process.env.TEST_VENDOR_KEY = fake.apiKey;
  const providers = Object.fromEntries(
    OPENAI_COMPATIBLE_PRESETS.map((preset) => [
      preset,
      { type: 'openai-compatible', preset, baseURL: fake.url, apiKeyEnv: 'TEST_VENDOR_KEY' },
    ]),
  );
  const models = Object.fromEntries(
    OPENAI_COMPATIBLE_PRESETS.map((preset) => [
      preset,
      { retry: { attempts: 1 }, targets: [{ provider: preset, model: `${preset}-model` }] },
    ]),
  );
  const prices = Object.fromEntries(
    OPENAI_COMPATIBLE_PRESETS.map((preset) => [preset, { [`${preset}-model`]: PRICE }]),
  );
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers,
      models,
      prices,
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
});
afterAll(async () => {
  await gateway.stop();
  await fake.close();
  delete process.env.TEST_VENDOR_KEY;
  dir.remove();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key });
const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user' as const, content: 'Hi' }],
  ...extra,
});
const sent = (): Record<string, unknown> => (fake.requests.at(-1)?.body ?? {}) as Record<string, unknown>;

async function lastBooked(): Promise<Record<string, string | boolean | undefined>> {
  const { records } = await ledgerOf(gateway.store.endpoint);
  const record = records.at(-1);
  return {
    input: record?.inputTokens?.N,
    cached: record?.cachedTokens?.N,
    output: record?.outputTokens?.N,
    cost: record?.costMicros?.N,
    estimated: record?.estimated?.BOOL,
  };
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of stream);
}

// 1,000 input (none cached) × 1 + 50 × 2 per 1M = 1,100 µ$; DeepSeek's 600 cached: 400 × 1 + 600 × 0.5 + 100 = 800.
const BOOKED = { input: '1000', cached: '0', output: '50', cost: '1100', estimated: false };

it.each(OPENAI_COMPATIBLE_PRESETS)('%s: JSON and stream served, the usage booked exactly', async (preset) => {
  const json = await client().chat.completions.create(ask(preset));
  expect(json.choices[0]?.message.content).toBe('vendor answer');
  const expected = preset === 'deepseek' ? { ...BOOKED, cached: String(VENDOR_USAGE.cached), cost: '800' } : BOOKED;
  expect(await lastBooked()).toEqual(expected);
  await drain(await client().chat.completions.create({ ...ask(preset), stream: true }));
  expect(await lastBooked()).toEqual(expected);
});

it('gemini: seed is refused before sending (400 naming it); a penalty of 0 is dropped and named', async () => {
  const error = await apiFailure(client().chat.completions.create(ask('gemini', { seed: 42 })));
  expect({ status: error.status, code: error.code, param: error.param }).toEqual({
    status: 400,
    code: 'unsupported_parameter',
    param: 'seed',
  });
  expect(fake.requests).toHaveLength(0);
  const { response } = await client()
    .chat.completions.create(ask('gemini', { frequency_penalty: 0, temperature: 0.3 }))
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')).toBe('frequency_penalty');
  expect(sent()).toMatchObject({ temperature: 0.3 });
  expect(sent()).not.toHaveProperty('frequency_penalty');
});

it("gemini: its error body (a JSON array) comes back as Gemini's message", async () => {
  const error = await apiFailure(client().chat.completions.create(ask('gemini', { presence_penalty: 0.4 })));
  expect(error.status).toBe(400);
  expect(error.message).toContain('Unknown name "presence_penalty": Cannot find field.');
});

it("groq: logprobs refused before sending; a message's name dropped and named", async () => {
  const error = await apiFailure(client().chat.completions.create(ask('groq', { logprobs: true })));
  expect([error.status, error.code, error.param]).toEqual([400, 'unsupported_parameter', 'logprobs']);
  expect(fake.requests).toHaveLength(0);
  const { data, response } = await client()
    .chat.completions.create({ model: 'groq', messages: [{ role: 'user', content: 'Hi', name: 'ada' }] })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('vendor answer');
  expect(response.headers.get('x-gateway-ignored')).toBe('name');
  expect(sent().messages).toEqual([{ role: 'user', content: 'Hi' }]);
});

it('mistral: renamed and dropped fields, no stream_options; a 422 body comes back as its detail', async () => {
  const extra = { max_completion_tokens: 64, seed: 5, user: 'u-1', store: false, safety_identifier: 'sid' };
  const { response } = await client()
    .chat.completions.create({ ...ask('mistral', extra), stream: true })
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')?.split(',').sort()).toEqual(['safety_identifier', 'user']);
  expect(sent()).toMatchObject({ max_tokens: 64, random_seed: 5, stream: true });
  for (const field of ['max_completion_tokens', 'seed', 'user', 'store', 'stream_options']) {
    expect(sent()).not.toHaveProperty(field);
  }
  fake.enqueue(
    reply.json(
      {
        object: 'error',
        message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'x'], msg: 'Extra inputs are not permitted' }] },
        type: 'invalid_request_error',
      },
      { status: 422 },
    ),
  );
  const error = await apiFailure(client().chat.completions.create(ask('mistral')));
  expect(error.status).toBe(400);
  expect(error.message).toContain('extra_forbidden');
});

it("mistral: an earlier answer's reasoning_content is dropped and named (Mistral refuses it)", async () => {
  const messages = [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello', reasoning_content: 'thinking' },
    { role: 'user', content: 'Again' },
  ];
  const { response } = await client()
    .chat.completions.create({ model: 'mistral', messages } as never)
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')).toBe('reasoning_content');
  expect(JSON.stringify(sent().messages)).not.toContain('reasoning_content');
});

it('ollama: max_completion_tokens goes as max_tokens; fields it would ignore silently are named', async () => {
  const { response } = await client()
    .chat.completions.create(ask('ollama', { max_completion_tokens: 32, user: 'u-2' }))
    .withResponse();
  expect(sent()).toMatchObject({ max_tokens: 32 });
  expect(sent()).not.toHaveProperty('max_completion_tokens');
  expect(response.headers.get('x-gateway-ignored')).toBe('user');
});
