import { reply, startFakeOpenAI, textChunks, usage } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { captureEmf, type EmfCapture, type EmfDocument } from '../observability/emf-capture.js';

// One EMF document per chat request, written when the answer is complete (for a stream: after its end), with the
// cost of cached tokens priced as the table says.
let emf: EmfCapture;

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-metrics' }), {
  input: 0.15,
  cachedInput: 0.075,
  output: 0.6,
});
beforeEach(() => {
  emf = captureEmf();
});
afterEach(() => emf.stop());

const requestDocument = async (): Promise<EmfDocument> => {
  for (let i = 0; i < 100 && !emf.documents.some((d) => 'Requests' in d); i++)
    await new Promise((r) => setTimeout(r, 10));
  const documents = emf.documents.filter((d) => 'Requests' in d);
  expect(documents).toHaveLength(1);
  return documents[0] as EmfDocument;
};

it('non-stream: tokens, cached tokens and the hand-computed cost (2,000×0.15 + 8,000×0.075 + 500×0.60 µ$ = 1,200 µ$)', async () => {
  fixture.fake.enqueue(reply.text('ok', { usage: usage({ prompt: 10_000, cached: 8_000, completion: 500 }) }));
  await fixture.client.chat.completions.create({ model: 'target', messages: [{ role: 'user', content: 'hi' }] });
  const doc = await requestDocument();
  expect(doc).toMatchObject({
    Model: 'target',
    Provider: 'upstream',
    Plan: 'default',
    Requests: 1,
    Errors: 0,
    InputTokens: 10_000,
    CachedTokens: 8_000,
    OutputTokens: 500,
    CostUSD: 0.0012,
    tenant: 'dev',
  });
  expect(doc._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Model', 'Provider', 'Plan']]);
});

it('stream: one document after the end, with time to first token', async () => {
  fixture.fake.enqueue(
    reply.stream(textChunks('a streamed answer', { parts: 3 }), {
      usage: usage({ prompt: 1_000, completion: 10 }),
      chunkDelayMs: 60,
    }),
  );
  const stream = await fixture.client.chat.completions.create({
    model: 'target',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  });
  const chunks = stream[Symbol.asyncIterator]();
  await chunks.next();
  await chunks.next();
  // Content is flowing, the upstream is not done: no document yet.
  expect(emf.documents.filter((d) => 'Requests' in d)).toHaveLength(0);
  while (!(await chunks.next()).done);
  const doc = await requestDocument();
  expect(doc).toMatchObject({ Requests: 1, InputTokens: 1_000, OutputTokens: 10, CostUSD: 0.000156, Errors: 0 });
  expect(typeof doc.TimeToFirstToken).toBe('number');
});

it('an upstream failure is counted as an error, without tokens', async () => {
  fixture.fake.enqueue(reply.serverError(500));
  await fixture.client.chat.completions
    .create({ model: 'target', messages: [{ role: 'user', content: 'hi' }] })
    .catch(() => undefined);
  const doc = await requestDocument();
  expect(doc).toMatchObject({ Requests: 1, Errors: 1, Provider: 'none' });
  expect(doc.InputTokens).toBeUndefined();
});
