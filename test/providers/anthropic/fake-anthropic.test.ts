import { splitBytes } from '../../fakes/sse-writer.js';
import {
  FAKE_ANTHROPIC_VERSION,
  reply,
  startFakeAnthropic,
  textEvents,
  type FakeAnthropic,
  type SseEvent,
} from '../../fakes/fake-anthropic.js';

/** The fake itself: its checks, its wire format, its byte splitting. */
let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic({ apiKey: 'sk-ant-right' });
});
afterEach(async () => {
  await fake.close();
});

const post = (
  headers: Record<string, string>,
  body: unknown = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] },
) =>
  fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': FAKE_ANTHROPIC_VERSION, ...headers },
    body: JSON.stringify(body),
  });

const wire = (list: readonly SseEvent[]): string =>
  list.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');

describe('fake Anthropic Messages API', () => {
  it('answers 401 with Anthropic error body for a wrong or missing key, without consuming the queue', async () => {
    fake.enqueue(reply.text('queued'));
    for (const headers of [{ 'x-api-key': 'sk-ant-wrong' }, { authorization: 'Bearer sk-ant-wrong' }, {}]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid x-api-key' },
      });
    }
    expect(fake.pending()).toBe(1);
    expect(fake.requests).toHaveLength(3);
  });

  it('accepts the key as x-api-key or as a bearer token', async () => {
    fake.enqueue(reply.text('one'), reply.text('two'));
    expect((await post({ 'x-api-key': 'sk-ant-right' })).status).toBe(200);
    const res = await post({ authorization: 'Bearer sk-ant-right' });
    expect(await res.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'two' }] });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('requires the pinned anthropic-version', async () => {
    const res = await post({ 'x-api-key': 'sk-ant-right', 'anthropic-version': '2023-06-01' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('answers 404 on other paths and echoes the last user message when nothing is queued', async () => {
    expect((await fetch(`${fake.url}/v1/complete`, { method: 'POST' })).status).toBe(404);
    const res = await post({ 'x-api-key': 'sk-ant-right' });
    expect(await res.json()).toMatchObject({ content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn' });
  });

  it('writes events as `event:` / `data:` frames, in pieces that cut inside multi-byte characters', async () => {
    const list = textEvents('Grüße 👋 東京', { parts: 2 });
    fake.enqueue(reply.stream(list, { split: { seed: 3, maxPieceBytes: 4 } }));
    const res = await post({ 'x-api-key': 'sk-ant-right' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toBe(wire(list));
    const pieces = splitBytes(Buffer.from(wire(list)), { seed: 3, maxPieceBytes: 4 });
    const cutInsideCharacter = pieces.some((piece) => !Buffer.from(piece.toString('utf8')).equals(piece));
    expect(cutInsideCharacter).toBe(true);
  });
});
