import { reply, startFakeOpenAI, textChunks, usage } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Feedback on a request, by the ledger id the answer carries (X-Gateway-Ledger-Id, chatcmpl-<id>, msg_<id>):
// stored on its ledger record, readable through the usage API and the admin API, never across tenants.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-feedback' }), { input: 1, output: 2 });

let otherKey: string;
beforeAll(async () => {
  const created = await fetch(`${fixture.gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'other-co', scopes: ['chat', 'usage:read'] }),
  });
  otherKey = ((await created.json()) as { key: string }).key;
});

const devKey = (): string => fixture.gateway.devKey.key;
const call = (path: string, key: string, body?: unknown) =>
  fetch(`${fixture.gateway.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'hi' }] };

async function answered(): Promise<{ id: string; ledgerId: string }> {
  fixture.fake.enqueue(reply.text('hello', { usage: usage({ prompt: 10, completion: 4 }) }));
  const { data, response } = await fixture.client.chat.completions.create(ask).withResponse();
  return { id: data.id, ledgerId: response.headers.get('x-gateway-ledger-id') ?? '' };
}

it('the answer carries its ledger id: chatcmpl-<id>, msg_<id> and the X-Gateway-Ledger-Id header', async () => {
  const { id, ledgerId } = await answered();
  expect(ledgerId).toMatch(/^req_[A-Za-z0-9_-]{17,}$/);
  expect(id).toBe(`chatcmpl-${ledgerId}`);
  fixture.fake.enqueue(reply.stream(textChunks('streamed', { parts: 2 })));
  const stream = await fixture.anthropic.messages
    .create({ model: 'target', max_tokens: 20, messages: ask.messages, stream: true })
    .withResponse();
  const header = stream.response.headers.get('x-gateway-ledger-id');
  for await (const event of stream.data)
    if (event.type === 'message_start') expect(event.message.id).toBe(`msg_${header}`);
});

it('feedback is stored on the ledger record and read back through the usage and admin APIs', async () => {
  const { id, ledgerId } = await answered();
  const stored = await call('/v1/feedback', devKey(), {
    request_id: id,
    score: -0.5,
    label: 'wrong-answer',
    comment: 'It said hello.',
  });
  expect(stored.status).toBe(200);
  expect(await stored.json()).toEqual({
    object: 'feedback',
    request_id: ledgerId,
    score: -0.5,
    label: 'wrong-answer',
    comment: 'It said hello.',
    key_id: expect.stringMatching(/^key_/),
    created_at: expect.any(String),
  });
  const read = await call(`/v1/requests/${ledgerId}`, devKey());
  expect(read.status).toBe(200);
  expect(await read.json()).toEqual({
    object: 'request',
    id: ledgerId,
    request_id: expect.any(String),
    created_at: expect.any(String),
    tenant: 'dev',
    key_id: expect.stringMatching(/^key_/),
    plan: 'default',
    model: 'target',
    provider: 'upstream',
    provider_model: 'openai-upstream-model',
    status: 200,
    stream: false,
    usage: { input_tokens: 10, output_tokens: 4, cached_tokens: 0, cache_write_tokens: 0, estimated: false },
    cost_micros: 18,
    cost_usd: 0.000018,
    attempts: 1,
    feedback: {
      score: -0.5,
      label: 'wrong-answer',
      comment: 'It said hello.',
      key_id: expect.stringMatching(/^key_/),
      created_at: expect.any(String),
    },
  });
  // A later feedback replaces it; the plain ledger id is accepted as well.
  expect((await call('/v1/feedback', devKey(), { request_id: ledgerId, score: 1 })).status).toBe(200);
  const admin = await fetch(`${fixture.gateway.url}/admin/requests/chatcmpl-${ledgerId}`, {
    headers: { Authorization: 'Bearer admin' },
  });
  expect(await admin.json()).toMatchObject({
    id: ledgerId,
    tenant: 'dev',
    feedback: { score: 1, label: null, comment: null },
  });
});

it('another tenant gets 404 for a request that exists, as for one that does not', async () => {
  const { ledgerId } = await answered();
  const foreign = await call('/v1/feedback', otherKey, { request_id: ledgerId, score: 1 });
  const missing = await call('/v1/feedback', otherKey, { request_id: 'req_doesNotExist0000001', score: 1 });
  expect([foreign.status, missing.status]).toEqual([404, 404]);
  const foreignText = await foreign.text();
  expect(JSON.parse(foreignText)).toEqual(await missing.json());
  expect(foreignText).not.toContain(ledgerId);
  expect((await call(`/v1/requests/${ledgerId}`, otherKey)).status).toBe(404);
  // Nothing was written on the record by the refused feedback.
  expect(
    ((await (await call(`/v1/requests/${ledgerId}`, devKey())).json()) as { feedback: unknown }).feedback,
  ).toBeNull();
});

it.each([
  [{ request_id: 'req_x', score: 2 }, 'score'],
  [{ request_id: 'not-an-id', score: 1 }, 'request_id'],
  [{ score: 1 }, 'request_id'],
  [{ request_id: 'req_doesNotExist0000001', score: 1, comment: 'x'.repeat(2001) }, 'comment'],
  [{ request_id: 'req_doesNotExist0000001', score: 1, label: 'bad\nlabel' }, 'label'],
  [{ request_id: 'req_doesNotExist0000001', score: 1, rating: 5 }, null],
])('bad input %j → 400 in the OpenAI shape', async (body, param) => {
  const response = await call('/v1/feedback', devKey(), body);
  expect(response.status).toBe(400);
  const error = (
    (await response.json()) as { error: { type: string; code: string; param: string | null; message: string } }
  ).error;
  expect(error.type).toBe('invalid_request_error');
  if (param !== null) expect(error.param).toBe(param);
});

it('a key without usage:read cannot read requests; feedback needs chat', async () => {
  const created = await fetch(`${fixture.gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'dev', scopes: ['chat'] }),
  });
  const chatOnly = ((await created.json()) as { key: string }).key;
  const { ledgerId } = await answered();
  expect((await call(`/v1/requests/${ledgerId}`, chatOnly)).status).toBe(403);
  expect((await call('/v1/feedback', chatOnly, { request_id: ledgerId, score: 0 })).status).toBe(200);
});
