import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { apiFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Idempotency-Key on chat: a retry gets the first answer without a second upstream call; in flight → 409; another
// body → 422; a failure the client may retry releases the key; a stream's key is used once.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-idem' }));

const ask = (content: string) => ({ model: 'target', messages: [{ role: 'user' as const, content }] });
const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });

it('the same key and body: the stored answer, one upstream call', async () => {
  fixture.fake.enqueue(reply.text('first answer'));
  const first = await fixture.client.chat.completions.create(ask('hello'), withKey('k-same')).withResponse();
  const again = await fixture.client.chat.completions.create(ask('hello'), withKey('k-same')).withResponse();
  expect(again.data).toEqual(first.data);
  expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  expect(again.response.headers.get('x-request-id')).not.toBe(first.response.headers.get('x-request-id'));
  expect(fixture.fake.requests).toHaveLength(1);
});

it('the same key with another body → 422', async () => {
  fixture.fake.enqueue(reply.text('x'));
  await fixture.client.chat.completions.create(ask('one'), withKey('k-body'));
  const err = await apiFailure(fixture.client.chat.completions.create(ask('two'), withKey('k-body')));
  expect([err.status, err.code]).toEqual([422, 'idempotency_key_reused']);
});

it('while the first is in flight → 409', async () => {
  fixture.fake.enqueue(reply.text('slow', { delayMs: 400 }));
  const first = fixture.client.chat.completions.create(ask('wait'), withKey('k-flight'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const err = await apiFailure(fixture.client.chat.completions.create(ask('wait'), withKey('k-flight')));
  expect([err.status, err.code]).toEqual([409, 'idempotency_key_in_flight']);
  expect((await first).choices[0]?.message.content).toBe('slow');
});

it('an upstream failure releases the key: the retry runs', async () => {
  fixture.fake.enqueue(reply.serverError(500), reply.text('second try'));
  expect((await apiFailure(fixture.client.chat.completions.create(ask('retry me'), withKey('k-retry')))).status).toBe(
    502,
  );
  const done = await fixture.client.chat.completions.create(ask('retry me'), withKey('k-retry'));
  expect(done.choices[0]?.message.content).toBe('second try');
  expect(fixture.fake.requests).toHaveLength(2);
});

it("a stream's key is used once: the retry gets 409, not a second run", async () => {
  fixture.fake.enqueue(reply.stream(textChunks('streamed', { parts: 2 })));
  const stream = await fixture.client.chat.completions.create({ ...ask('stream'), stream: true }, withKey('k-stream'));
  for await (const _chunk of stream);
  const err = await apiFailure(
    fixture.client.chat.completions.create({ ...ask('stream'), stream: true }, withKey('k-stream')),
  );
  expect([err.status, err.code]).toEqual([409, 'idempotency_key_used_for_stream']);
  expect(fixture.fake.requests).toHaveLength(1);
});

it('a malformed key (over 255 characters) is a 400', async () => {
  const err = await apiFailure(fixture.client.chat.completions.create(ask('bad key'), withKey('x'.repeat(256))));
  expect([err.status, err.code]).toEqual([400, 'invalid_idempotency_key']);
});
