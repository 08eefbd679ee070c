import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { setEvaluationSink } from '../../lambdas/observability/evaluation/evaluation-hook.js';
import type { EvaluationEvent } from '../../lambdas/observability/evaluation/evaluation-event.js';
import { reply, startFakeOpenAI, textChunks, usage } from '../fakes/fake-openai.js';
import { apiFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { tempDir } from '../helpers/tmp.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';

// Evaluation hooks on a local gateway: exactly one event per completed request — JSON, stream, upstream error —
// none for an idempotent replay, none at sampleRate 0; appended to the JSONL file; text PII-redacted; a failing
// hook does not fail the answer.

const dir = tempDir('gw-eval');
const file = join(dir.path, 'events.jsonl');
const fixture = chatFixture(
  'openai',
  () => startFakeOpenAI({ apiKey: 'sk-eval' }),
  { input: 1, output: 2 },
  {
    plans: {
      default: {
        rateLimit: 1000,
        burstLimit: 1000,
        policies: { pii: { mode: 'redact', detectors: ['email'] } },
        evaluation: { sampleRate: 1, includeText: true },
      },
      unsampled: { rateLimit: 1000, burstLimit: 1000, evaluation: { sampleRate: 0 } },
    },
  },
);

let unsampled: OpenAI;
beforeAll(async () => {
  process.env.GATEWAY_EVALUATION_FILE = file;
  setEvaluationSink('reset');
  const created = await fetch(`${fixture.gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'quiet-co', plan: 'unsampled' }),
  });
  unsampled = new OpenAI({
    baseURL: `${fixture.gateway.url}/v1`,
    apiKey: ((await created.json()) as { key: string }).key,
    maxRetries: 0,
  });
});
afterAll(() => {
  delete process.env.GATEWAY_EVALUATION_FILE;
  setEvaluationSink('reset');
  dir.remove();
});
beforeEach(() => rmSync(file, { force: true }));

/** The events written so far: the report (and its event) runs after the response, so wait for that work first. */
const events = async (): Promise<EvaluationEvent[]> => {
  await whenAfterResponsesDone();
  return writtenEvents();
};
const writtenEvents = (): EvaluationEvent[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as EvaluationEvent)
    : [];
const ask = (content: string) => ({ model: 'target', messages: [{ role: 'user' as const, content }] });

it('JSON: one event after the answer, its id the ledger id, the text redacted', async () => {
  fixture.fake.enqueue(reply.text('Mail me at ops@example.com', { usage: usage({ prompt: 10, completion: 5 }) }));
  const { data, response } = await fixture.client.chat.completions.create(ask('I am ann@example.com')).withResponse();
  const ledgerId = response.headers.get('x-gateway-ledger-id');
  expect(ledgerId).toMatch(/^req_/);
  expect(data.id).toBe(`chatcmpl-${ledgerId}`);
  expect(await events()).toEqual([
    {
      source: 'llm-gateway',
      'detail-type': 'chat.request.completed',
      time: expect.any(String),
      detail: expect.objectContaining({
        id: ledgerId,
        request_id: response.headers.get('x-request-id'),
        tenant: 'dev',
        model: 'target',
        provider: 'upstream',
        provider_model: 'openai-upstream-model',
        status: 200,
        stream: false,
        usage: { input_tokens: 10, output_tokens: 5, cached_tokens: 0, cache_write_tokens: 0, estimated: false },
        cost_micros: 20,
        attempts: 1,
        policy: ['pii.redact=email:1'],
        prompt: [{ role: 'user', path: 'messages[0].content', text: 'I am [REDACTED:email]' }],
        answer: { text: 'Mail me at [REDACTED:email]', tool_calls: [] },
      }),
    },
  ]);
  expect(readFileSync(file, 'utf8')).not.toContain('@example.com');
});

it('stream: one event, written at the end of the stream, with time to first token', async () => {
  fixture.fake.enqueue(
    reply.stream(textChunks('a streamed answer', { parts: 3 }), { usage: usage({ prompt: 7, completion: 3 }) }),
  );
  const stream = await fixture.client.chat.completions.create({ ...ask('stream please'), stream: true });
  for await (const _chunk of stream);
  const [event, ...more] = await events();
  expect(more).toEqual([]);
  expect(event?.detail).toMatchObject({ stream: true, status: 200, answer: { text: 'a streamed answer' } });
  expect(typeof event?.detail.time_to_first_token_ms).toBe('number');
});

it('an upstream error: one event with the status the client got', async () => {
  fixture.fake.enqueue(reply.serverError(500));
  expect((await apiFailure(fixture.client.chat.completions.create(ask('fail')))).status).toBe(502);
  expect((await events()).map((e) => [e.detail.status, e.detail.provider, e.detail.attempts])).toEqual([
    [502, null, 1],
  ]);
});

it('an idempotent replay: the stored answer, no second event', async () => {
  fixture.fake.enqueue(reply.text('once'));
  const headers = { headers: { 'Idempotency-Key': 'eval-replay-1' } };
  const first = await fixture.client.chat.completions.create(ask('replay me'), headers).withResponse();
  const again = await fixture.client.chat.completions.create(ask('replay me'), headers).withResponse();
  expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  expect(again.data.id).toBe(first.data.id);
  expect(again.response.headers.get('x-gateway-ledger-id')).toBe(first.response.headers.get('x-gateway-ledger-id'));
  expect(await events()).toHaveLength(1);
});

it('sampleRate 0: no event', async () => {
  fixture.fake.enqueue(reply.text('quiet'));
  await unsampled.chat.completions.create(ask('hello'));
  expect(await events()).toEqual([]);
});

it("a failing hook: the answer still arrives, within the hook's bound", async () => {
  setEvaluationSink({ kind: 'broken', send: () => Promise.reject(new Error('bus down')) });
  try {
    fixture.fake.enqueue(reply.text('still here'));
    const done = await fixture.client.chat.completions.create(ask('hi'));
    expect(done.choices[0]?.message.content).toBe('still here');
    await whenAfterResponsesDone();
  } finally {
    setEvaluationSink('reset');
  }
});
