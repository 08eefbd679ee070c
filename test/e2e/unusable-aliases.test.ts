import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { apiFailure } from '../helpers/api-error.js';
import { tempDir } from '../helpers/tmp.js';

// `npm start`'s configuration without OPENAI_API_KEY / ANTHROPIC_API_KEY: /health/ready stays 200 and names the
// aliases that cannot work and the models without a price; /v1/models marks them; a call answers naming every
// provider whose key is missing. A configuration where no alias can work is not ready.
const data = tempDir('gw-unusable');
const configFile = join(data.path, 'gateway.config.json');
const saved = { openai: process.env.OPENAI_API_KEY, anthropic: process.env.ANTHROPIC_API_KEY };
let gateway: LocalGateway;
let client: OpenAI;

interface Ready {
  status: string;
  checks: Record<string, { status: string; detail?: string }>;
  warnings?: string[];
}
const ready = async (): Promise<{ status: number; body: Ready }> => {
  const res = await fetch(`${gateway.url}/health/ready`);
  return { status: res.status, body: (await res.json()) as Ready };
};

beforeAll(async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.ANTHROPIC_API_KEY;
  writeFileSync(configFile, readFileSync('gateway.config.json', 'utf8'));
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: data.path, configFile });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.stop();
  data.remove();
  if (saved.openai !== undefined) process.env.OPENAI_API_KEY = saved.openai;
  if (saved.anthropic !== undefined) process.env.ANTHROPIC_API_KEY = saved.anthropic;
});

it('/health/ready stays 200 and lists the aliases without a usable key as warnings', async () => {
  const { status, body } = await ready();
  expect(status).toBe(200);
  expect(body.checks.models).toEqual({ status: 'ok' });
  expect(body.warnings).toEqual([
    'alias gpt-4o-mini cannot work: no API key for openai',
    'alias claude-haiku cannot work: no API key for anthropic',
    'alias fast cannot work: no API key for openai, anthropic',
    'alias embed-small cannot work: no API key for openai',
  ]);
});

it('/v1/models marks each alias available or not, with the reason', async () => {
  const models = new Map<string, { available?: boolean; unavailable_reason?: string }>();
  for await (const model of client.models.list()) models.set(model.id, model as never);
  expect(models.get('demo')).toMatchObject({ available: true });
  expect(models.get('demo')).not.toHaveProperty('unavailable_reason');
  expect(models.get('fast')).toMatchObject({
    available: false,
    unavailable_reason: 'no API key for openai, anthropic',
  });
  expect(await client.models.retrieve('claude-haiku')).toMatchObject({ available: false });
});

it('a call on such an alias names every provider whose key is missing, not only the last one tried', async () => {
  const err = await apiFailure(
    client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
  );
  expect([err.status, err.code]).toEqual([502, 'provider_key_missing']);
  expect(err.message).toContain(
    'The model "fast" cannot be served: no API key is configured for its providers openai, anthropic.',
  );
});

it('a model without a price is a warning; a configuration where no alias can work is not ready (503)', async () => {
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { openai: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' } },
      models: { only: { targets: [{ provider: 'openai', model: 'gpt-unpriced' }] } },
    }),
  );
  const deadline = Date.now() + 10_000;
  while (gateway.config.models.only === undefined && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  const { status, body } = await ready();
  expect(status).toBe(503);
  expect(body.checks.models).toEqual({
    status: 'fail',
    detail: 'no alias can work: every target lacks its provider key',
  });
  expect(body.warnings).toEqual([
    'alias only cannot work: no API key for openai',
    'model openai/gpt-unpriced has no price: its calls count $0',
  ]);
});
