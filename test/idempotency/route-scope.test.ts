import { reply, startFakeOpenAI } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// An Idempotency-Key is scoped to its route (issue 14, item 15): a body both routes accept, sent with one key to
// /v1/chat/completions and then to /v1/messages, must not get the chat.completion replayed in Anthropic's format
// route. It is refused with 422 idempotency_key_other_route (in the route's error shape), as Stripe refuses a key
// reused on another endpoint; the key still replays on its own route.
const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-idem-route' }));

const body = JSON.stringify({
  model: 'target',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'same body, two routes' }],
});
const post = (path: string, key: string) =>
  fetch(`${fixture.gateway.url}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${fixture.gateway.devKey.key}`,
      'content-type': 'application/json',
      'Idempotency-Key': key,
    },
    body,
  });

it('a key used on /v1/chat/completions is refused on /v1/messages (422, Anthropic shape), and replays on its own route', async () => {
  fixture.fake.enqueue(reply.text('first answer'));
  const first = await post('/v1/chat/completions', 'k-route');
  expect(first.status).toBe(200);
  expect(((await first.json()) as { object: string }).object).toBe('chat.completion');

  const other = await post('/v1/messages', 'k-route');
  expect(other.status).toBe(422);
  expect(await other.json()).toEqual({
    type: 'error',
    error: {
      type: 'invalid_request_error',
      message: expect.stringContaining('POST /v1/chat/completions'),
      details: { error_code: 'idempotency_key_other_route' },
    },
    request_id: expect.any(String),
  });

  const again = await post('/v1/chat/completions', 'k-route');
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(fixture.fake.requests).toHaveLength(1);
});

it('the other way round: a key first used on /v1/messages is refused on /v1/chat/completions', async () => {
  fixture.fake.enqueue(reply.text('a message'));
  expect((await post('/v1/messages', 'k-route-2')).status).toBe(200);
  const other = await post('/v1/chat/completions', 'k-route-2');
  expect(other.status).toBe(422);
  expect(((await other.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_other_route');
});
