import { request } from 'node:http';
import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// A client that leaves a stream before its first byte (here: while the upstream has not answered yet) still has
// its request booked: the upstream was called, so its tokens are owed, and the quota reservation is settled.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-gone' }));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('a stream whose client left before its first byte is booked, and its upstream call aborted', async () => {
  fixture.fake.enqueue(reply.stream(textChunks('an answer nobody reads', { parts: 4 }), { delayMs: 300, chunkDelayMs: 200 }));
  const sent = request(`${fixture.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.gateway.devKey.key}`, 'content-type': 'application/json' },
  });
  sent.on('error', () => undefined);
  sent.end(JSON.stringify({ model: 'target', stream: true, messages: [{ role: 'user', content: 'Tell me something' }] }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  sent.destroy();

  const { records } = await waitFor(
    () => ledgerOf(fixture.gateway.store.endpoint),
    (ledger) => ledger.records.length > 0,
  );
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ stream: { BOOL: true }, status: { N: '200' } });
  expect(Number(records[0]?.inputTokens?.N)).toBeGreaterThan(0);
  await waitFor(
    async () => fixture.fake.requests[0]?.clientAborted,
    (aborted) => aborted === true,
  );
  expect(fixture.fake.requests[0]?.clientAborted).toBe(true);
});
