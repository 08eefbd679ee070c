import { closeBedrockClients } from '../../../lambdas/providers/bedrock/bedrock-client.js';
import { BedrockProvider } from '../../../lambdas/providers/bedrock/bedrock-provider.js';
import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import type { ProviderCall, StreamPart } from '../../../lambdas/providers/types.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import {
  bedrockReply,
  bedrockUsage,
  exceptionFrame,
  startFakeBedrock,
  type FakeBedrock,
} from '../../fakes/fake-bedrock.js';

// The provider through @aws-sdk/client-bedrock-runtime against the fake runtime (the real wire protocol: Converse
// JSON, ConverseStream event-stream frames in pieces, restJson1 errors).

let fake: FakeBedrock;
const provider = new BedrockProvider({ name: 'bedrock', region: 'us-east-1', timeoutMs: 5000 });

beforeAll(async () => {
  fake = await startFakeBedrock();
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
});
afterAll(async () => {
  closeBedrockClients();
  delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'alias',
  messages: [{ role: 'user', content: 'Weather?' }],
  ...extra,
});
const call = (extra: Partial<ProviderCall> = {}): ProviderCall => ({
  request: request(),
  model: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  requestId: 'req-1',
  signal: new AbortController().signal,
  ...extra,
});

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

it('complete: a text answer with cache usage; all input counted, the parts read and written named', async () => {
  fake.enqueue(
    bedrockReply.text('Sunny', { usage: bedrockUsage({ input: 10, output: 3, cacheRead: 100, cacheWrite: 20 }) }),
  );
  const result = await provider.complete(call());
  expect(result).toMatchObject({ content: 'Sunny', finishReason: 'stop', toolCalls: [] });
  expect(result.usage).toEqual({ inputTokens: 130, outputTokens: 3, cachedInputTokens: 100, cacheWriteTokens: 20 });
  expect(fake.requests[0]).toMatchObject({
    operation: 'converse',
    modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    region: 'us-east-1',
    body: { messages: [{ role: 'user', content: [{ text: 'Weather?' }] }] },
  });
});

it('an inference-profile ARN travels URL-encoded and arrives whole; the target region signs the call', async () => {
  const arn = 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
  await provider.complete(call({ model: arn, region: 'eu-west-1' }));
  expect(fake.requests[0]).toMatchObject({ modelId: arn, region: 'eu-west-1' });
});

it('complete: tool use → tool calls with JSON arguments, finish tool_calls', async () => {
  fake.enqueue(
    bedrockReply.answer([
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ]),
  );
  const result = await provider.complete(call());
  expect(result.toolCalls).toEqual([{ id: 'tooluse_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  expect(result.finishReason).toBe('tool_calls');
});

it('stream: text, reasoning with signature, two tool calls with distinct indices, finish, usage', async () => {
  fake.enqueue(
    bedrockReply.answer(
      [
        { reasoningContent: { reasoningText: { text: 'Let me think', signature: 'sig-1' } } },
        { text: 'Checking both.' },
        { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } },
        { toolUse: { toolUseId: 't2', name: 'get_weather', input: { city: 'Tōkyō 東京' } } },
      ],
      { usage: bedrockUsage({ input: 5, output: 9 }) },
    ),
  );
  const parts = await collect(await provider.stream(call()));
  const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('');
  const reasoning = parts.flatMap((p) => (p.type === 'reasoning-delta' ? [p.delta] : [])).join('');
  expect([text, reasoning]).toEqual(['Checking both.', 'Let me think']);
  expect(parts).toContainEqual({ type: 'reasoning-signature', index: 0, signature: 'sig-1' });
  expect(parts.filter((p) => p.type === 'tool-call-start')).toEqual([
    { type: 'tool-call-start', index: 0, id: 't1', name: 'get_weather' },
    { type: 'tool-call-start', index: 1, id: 't2', name: 'get_weather' },
  ]);
  const args = (index: number) =>
    parts.flatMap((p) => (p.type === 'tool-call-delta' && p.index === index ? [p.argumentsDelta] : [])).join('');
  expect([JSON.parse(args(0)), JSON.parse(args(1))]).toEqual([{ city: 'Paris' }, { city: 'Tōkyō 東京' }]);
  expect(parts.slice(-2)).toEqual([
    { type: 'finish', finishReason: 'tool_calls' },
    { type: 'usage', usage: { inputTokens: 5, outputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0 } },
  ]);
});

it('throttling (HTTP 429 ThrottlingException) → upstream_rate_limited, before any part', async () => {
  fake.enqueue(bedrockReply.throttled(), bedrockReply.throttled());
  await expect(provider.complete(call())).rejects.toMatchObject({ code: 'upstream_rate_limited', status: 429 });
  await expect(provider.stream(call())).rejects.toMatchObject({ code: 'upstream_rate_limited' });
});

it.each([
  ['AccessDeniedException', 403, 'provider_authentication_failed'],
  ['ResourceNotFoundException', 404, 'upstream_model_not_found'],
  ['ModelNotReadyException', 429, 'upstream_model_not_ready'],
  ['ServiceUnavailableException', 503, 'upstream_error'],
  ['InternalServerException', 500, 'upstream_error'],
  ['ModelTimeoutException', 408, 'upstream_timeout'],
  ['ServiceQuotaExceededException', 400, 'upstream_rate_limited'],
])('%s (HTTP %i) → %s', async (type, status, code) => {
  fake.enqueue(bedrockReply.error(status, type, 'nope'));
  await expect(provider.complete(call())).rejects.toMatchObject({ code });
});

it('ValidationException: the request is at fault (400, fatal) unless the model lacks a feature (refused)', async () => {
  fake.enqueue(
    bedrockReply.error(400, 'ValidationException', 'messages.0: a conversation must start with a user message'),
    bedrockReply.error(400, 'ValidationException', 'The maximum tokens you requested exceeds the model limit of 4096.'),
    bedrockReply.error(400, 'ValidationException', "This model doesn't support the toolConfig.toolChoice.any field."),
  );
  await expect(provider.complete(call())).rejects.toMatchObject({
    code: 'upstream_bad_request',
    message: 'messages.0: a conversation must start with a user message',
  });
  await expect(provider.complete(call())).rejects.toMatchObject({ code: 'upstream_bad_request' });
  await expect(provider.complete(call())).rejects.toMatchObject({ code: 'upstream_feature_unsupported' });
});

it("ValidationException for a model id that needs an inference profile: the target's misconfiguration, next target", async () => {
  fake.enqueue(
    bedrockReply.error(
      400,
      'ValidationException',
      "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    ),
  );
  await expect(provider.complete(call())).rejects.toMatchObject({ code: 'upstream_model_not_found', status: 502 });
});

it('a mid-stream exception event ends the stream with an error part (after the content)', async () => {
  fake.enqueue(bedrockReply.midStreamException('Half an ans'));
  const parts = await collect(await provider.stream(call()));
  expect(parts[0]).toEqual({ type: 'text-delta', delta: 'Half an ans' });
  const last = parts.at(-1);
  expect(last?.type).toBe('error');
  expect(last?.type === 'error' && last.error).toBeInstanceOf(GatewayError);
  expect(last?.type === 'error' && last.error.code).toBe('upstream_error');
});

it('a throttlingException event before any content is an error part: the router can still retry elsewhere', async () => {
  fake.enqueue(
    bedrockReply.events([
      { event: 'messageStart', payload: { role: 'assistant' } },
      exceptionFrame('throttlingException', 'slow down'),
    ]),
  );
  const parts = await collect(await provider.stream(call()));
  expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'upstream_rate_limited' }) }]);
});

it('a stream that ends without messageStop is a cut (upstream_stream_truncated)', async () => {
  fake.enqueue(
    bedrockReply.events([
      { event: 'messageStart', payload: { role: 'assistant' } },
      { event: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Hal' } } },
    ]),
  );
  const parts = await collect(await provider.stream(call()));
  expect(parts.at(-1)).toEqual({
    type: 'error',
    error: expect.objectContaining({ code: 'upstream_stream_truncated' }),
  });
});

it('a guardrail intervention is a content_filter finish with the guardrail message; the guardrail config is sent', async () => {
  const guardrail = { identifier: 'gr-abc123', version: '2' };
  fake.enqueue(
    bedrockReply.text('Sorry, the model cannot answer this question.', { stopReason: 'guardrail_intervened' }),
    bedrockReply.text('Sorry, the model cannot answer this question.', { stopReason: 'guardrail_intervened' }),
  );
  const result = await provider.complete(call({ guardrail }));
  expect(result).toMatchObject({
    finishReason: 'content_filter',
    content: 'Sorry, the model cannot answer this question.',
  });
  const parts = await collect(await provider.stream(call({ guardrail })));
  expect(parts).toContainEqual({ type: 'finish', finishReason: 'content_filter' });
  expect(fake.requests.map((r) => r.body.guardrailConfig)).toEqual([
    { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2' },
    { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2', streamProcessingMode: 'sync' },
  ]);
});
