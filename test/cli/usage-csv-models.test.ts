import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { runCli } from '../../cli/run.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { reply as anthropicReply, startFakeAnthropic, usage as anthropicUsage } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { reply, startFakeOpenAI, usage, type FakeOpenAI } from '../fakes/fake-openai.js';
import { tempDir } from '../helpers/tmp.js';

// `llm-gateway usage --format csv` names the upstream model that answered: an alias with a fallback whose calls went
// to two models is two rows, each with its own requests, tokens and cost. /v1/usage keeps its per-alias numbers.
const dir = tempDir('gw-csv-models');
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let gateway: LocalGateway;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: 'sk-csv-openai' });
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-csv' });
  Object.assign(process.env, { CSV_OPENAI_KEY: openai.apiKey, CSV_ANTHROPIC_KEY: anthropic.apiKey });
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        openai: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'CSV_OPENAI_KEY' },
        anthropic: { type: 'anthropic', baseURL: anthropic.url, apiKeyEnv: 'CSV_ANTHROPIC_KEY' },
      },
      models: {
        fast: {
          strategy: 'fallback',
          retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 10 },
          breaker: { failures: 1000 },
          targets: [
            { provider: 'openai', model: 'gpt-4o-mini' },
            { provider: 'anthropic', model: 'claude-haiku-4-5' },
          ],
        },
      },
      prices: {
        openai: { 'gpt-4o-mini': { input: 1, output: 2 } },
        anthropic: { 'claude-haiku-4-5': { input: 3, output: 4 } },
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
  delete process.env.CSV_OPENAI_KEY;
  delete process.env.CSV_ANTHROPIC_KEY;
  dir.remove();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--url', gateway.url], {
    env: { GATEWAY_DATA_DIR: dir.path, GATEWAY_ADMIN_KEY: 'admin' },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}

it('two models behind one alias (a fallback) are two rows, with their own counts and cost', async () => {
  const created = await cli('keys', 'create', '--tenant', 'csv-co', '--json');
  expect(created.code).toBe(0);
  const { key, id } = JSON.parse(created.out) as { key: string; id: string };
  // Two answers from OpenAI; then OpenAI fails once and Anthropic answers.
  openai.enqueue(
    reply.text('one', { usage: usage({ prompt: 100, completion: 10 }) }),
    reply.text('two', { usage: usage({ prompt: 100, completion: 10 }) }),
    reply.serverError(500),
  );
  anthropic.enqueue(anthropicReply.text('three', { usage: anthropicUsage({ input: 200, output: 20 }) }));
  // The openai SDK with its defaults (it does not retry a 200).
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key });
  for (const text of ['one', 'two', 'three']) {
    const answer = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0]?.message.content).toBe(text);
  }

  const csv = await cli('usage', '--tenant', 'csv-co', '--format', 'csv');
  expect([csv.code, csv.err]).toEqual([0, '']);
  const day = new Date().toISOString().slice(0, 10);
  // gpt-4o-mini: 2 × (100 × $1 + 10 × $2) per million = 240 µ$; claude-haiku-4-5: 200 × $3 + 20 × $4 = 680 µ$.
  expect(csv.out).toBe(
    [
      'tenant,key_id,alias,model,day,requests,input_tokens,output_tokens,cached_tokens,cost_usd',
      `csv-co,${id},fast,claude-haiku-4-5,${day},1,200,20,0,0.000680`,
      `csv-co,${id},fast,gpt-4o-mini,${day},2,200,20,0,0.000240`,
      '',
    ].join('\r\n'),
  );

  // /v1/usage's numbers stay per alias: one entry for `fast`, the sum of both rows.
  const usageRes = await fetch(`${gateway.url}/admin/usage?tenant=csv-co`, {
    headers: { Authorization: 'Bearer admin' },
  });
  const body = (await usageRes.json()) as { by_model: { model: string; requests: number; cost_micros: number }[] };
  expect(body.by_model).toEqual([expect.objectContaining({ model: 'fast', requests: 3, cost_micros: 920 })]);
});
