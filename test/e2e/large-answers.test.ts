import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';
import { slowRequest, type RawAnswer } from '../helpers/slow-reader.js';

// Large answers through the local server arrive whole — a 10 MB JSON answer (Middy writes it in 16 KB slices) and a
// 10 MB stream — to a client that reads at once and to one that keeps pausing (the socket pushes back). They used to
// stop at 81,920 bytes (JSON) or once the socket pushed back (streams), and hang there.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-large' }));

const TEN_MB = 10 * 1024 * 1024;
// Printable ASCII, varied, so a lost or repeated slice shows.
const bigText = (bytes: number): string => {
  const line = 'The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ.\n';
  let text = '';
  for (let n = 0; text.length < bytes; n++) text += `${n.toString(36)} ${line}`;
  return text.slice(0, bytes);
};
const text = bigText(TEN_MB);

const ask = (stream: boolean) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${fixture.gateway.devKey.key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'target', stream, messages: [{ role: 'user', content: 'Write a lot' }] }),
});

/** The content deltas of an OpenAI SSE answer, joined; and whether it ended with [DONE]. */
function streamedText(body: string): { text: string; done: boolean } {
  let joined = '';
  let done = false;
  for (const event of body.split('\n\n')) {
    const data = event.startsWith('data: ') ? event.slice(6) : undefined;
    if (data === undefined) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data) as { choices: { delta: { content?: string | null } }[] };
    joined += chunk.choices.map((choice) => choice.delta.content ?? '').join('');
  }
  return { text: joined, done };
}

async function enqueueJson(): Promise<void> {
  fixture.fake.enqueue(reply.text(text));
}
function enqueueStream(): void {
  // 16 KB of text per chunk, each chunk written as it is (no byte splitting: 10 MB in 16-byte pieces is slow).
  fixture.fake.enqueue(reply.stream(textChunks(text, { parts: 640 }), { split: false }));
}

const SLOW: { pauseEveryBytes: number; pauseMs: number } = { pauseEveryBytes: 1024 * 1024, pauseMs: 40 };
const FAST = { pauseEveryBytes: Number.MAX_SAFE_INTEGER, pauseMs: 0 };

function expectJson(answer: RawAnswer): void {
  expect(answer.status).toBe(200);
  const parsed = JSON.parse(answer.body.toString('utf8')) as { choices: { message: { content: string } }[] };
  expect(parsed.choices[0]?.message.content).toBe(text);
}

function expectStream(answer: RawAnswer): void {
  expect(answer.status).toBe(200);
  const streamed = streamedText(answer.body.toString('utf8'));
  expect(streamed.text.length).toBe(text.length);
  expect(streamed.text === text).toBe(true);
  expect(streamed.done).toBe(true);
}

it('a 10 MB JSON answer arrives whole', async () => {
  await enqueueJson();
  expectJson(await slowRequest(`${fixture.gateway.url}/v1/chat/completions`, ask(false), FAST));
}, 60_000);

it('a 10 MB JSON answer arrives whole to a client that keeps pausing', async () => {
  await enqueueJson();
  expectJson(await slowRequest(`${fixture.gateway.url}/v1/chat/completions`, ask(false), SLOW));
}, 60_000);

it('a 10 MB stream arrives whole', async () => {
  enqueueStream();
  expectStream(await slowRequest(`${fixture.gateway.url}/v1/chat/completions`, ask(true), FAST));
}, 60_000);

it('a 10 MB stream arrives whole to a client that keeps pausing, and each large answer is booked once', async () => {
  enqueueStream();
  expectStream(await slowRequest(`${fixture.gateway.url}/v1/chat/completions`, ask(true), SLOW));
  const { records } = await ledgerOf(fixture.gateway.store.endpoint);
  expect(records).toHaveLength(4);
  expect(records.every((record) => record.status?.N === '200')).toBe(true);
}, 60_000);
