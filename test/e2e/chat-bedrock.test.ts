import { bedrockReply, bedrockUsage } from '../fakes/fake-bedrock.js';
import { bedrockFixture, CLAUDE_ON_BEDROCK, GUARDRAIL } from '../helpers/bedrock-gateway.js';

// openai SDK (chat completions, defaults) → gateway → the fake Bedrock runtime through @aws-sdk/client-bedrock-runtime:
// Converse JSON and ConverseStream event-stream frames, both ways.

const fixture = bedrockFixture();
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const ask = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Weather in Paris and Tokyo?' },
];
const TWO_CALLS = [
  { toolUse: { toolUseId: 'tooluse_a', name: 'get_weather', input: { city: 'Paris' } } },
  { toolUse: { toolUseId: 'tooluse_b', name: 'get_weather', input: { city: 'Tōkyō 東京' } } },
];

it('JSON: the answer, usage with cached tokens counted as OpenAI does, the Converse request as Bedrock takes it', async () => {
  fixture.bedrock.enqueue(
    bedrockReply.text('Sunny, rainy.', {
      usage: bedrockUsage({ input: 10, output: 4, cacheRead: 1000, cacheWrite: 100 }),
    }),
  );
  const { data, response } = await fixture.client.chat.completions
    .create({ model: 'claude', messages: ask, max_tokens: 64, temperature: 0.3 })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('Sunny, rainy.');
  expect(data.choices[0]?.finish_reason).toBe('stop');
  expect(data.usage).toMatchObject({
    prompt_tokens: 1110,
    completion_tokens: 4,
    total_tokens: 1114,
    prompt_tokens_details: { cached_tokens: 1000 },
  });
  expect(response.headers.get('x-gateway-provider')).toBe('bedrock');
  expect(fixture.bedrock.requests[0]).toMatchObject({
    operation: 'converse',
    modelId: CLAUDE_ON_BEDROCK,
    region: 'us-east-1',
    body: {
      system: [{ text: 'You are terse.' }],
      messages: [{ role: 'user', content: [{ text: 'Weather in Paris and Tokyo?' }] }],
      inferenceConfig: { maxTokens: 64, temperature: 0.3 },
    },
  });
});

it('JSON: an answer slower than connectMs is not cut — connectMs bounds only the connection', async () => {
  fixture.bedrock.enqueue(bedrockReply.text('Took a while.', { delayMs: 600 }));
  const data = await fixture.client.chat.completions.create({ model: 'patient', messages: ask });
  expect(data.choices[0]?.message.content).toBe('Took a while.');
});

it('stream: text deltas from event-stream frames, one finish_reason, the usage chunk', async () => {
  fixture.bedrock.enqueue(
    bedrockReply.text('Grüße aus Köln — 東京 ✓', { usage: bedrockUsage({ input: 7, output: 5, cacheRead: 40 }) }),
  );
  const stream = await fixture.client.chat.completions.create({
    model: 'claude',
    messages: ask,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  const finishes: string[] = [];
  let usage: unknown;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    if (chunk.usage) usage = chunk.usage;
  }
  expect([text, finishes]).toEqual(['Grüße aus Köln — 東京 ✓', ['stop']]);
  expect(usage).toMatchObject({
    prompt_tokens: 47,
    completion_tokens: 5,
    prompt_tokens_details: { cached_tokens: 40 },
  });
  expect(fixture.bedrock.requests[0]?.operation).toBe('converse-stream');
});

it('tools, JSON: two toolUse blocks → two tool_calls; the tools and choice as Converse toolConfig', async () => {
  fixture.bedrock.enqueue(bedrockReply.answer([{ text: 'Checking.' }, ...TWO_CALLS]));
  const data = await fixture.client.chat.completions.create({
    model: 'claude',
    messages: ask,
    tools: [weatherTool],
    tool_choice: 'required',
  });
  expect(data.choices[0]?.finish_reason).toBe('tool_calls');
  expect(data.choices[0]?.message.tool_calls).toEqual([
    { id: 'tooluse_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    { id: 'tooluse_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tōkyō 東京"}' } },
  ]);
  expect(fixture.bedrock.requests[0]?.body.toolConfig).toEqual({
    tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: weatherTool.function.parameters } } }],
    toolChoice: { any: {} },
  });
});

it('tools, stream: distinct indices, arguments reassembled; the results go back as one user turn of toolResults', async () => {
  fixture.bedrock.enqueue(bedrockReply.answer(TWO_CALLS), bedrockReply.text('Sunny and rainy.'));
  const stream = await fixture.client.chat.completions.create({
    model: 'claude',
    messages: ask,
    tools: [weatherTool],
    stream: true,
  });
  const calls = new Map<number, { id?: string | undefined; args: string }>();
  for await (const chunk of stream) {
    for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
      const known = calls.get(call.index) ?? { args: '' };
      calls.set(call.index, { id: call.id ?? known.id, args: known.args + (call.function?.arguments ?? '') });
    }
  }
  expect([...calls.entries()].map(([index, call]) => [index, call.id, JSON.parse(call.args)])).toEqual([
    [0, 'tooluse_a', { city: 'Paris' }],
    [1, 'tooluse_b', { city: 'Tōkyō 東京' }],
  ]);
  await fixture.client.chat.completions.create({
    model: 'claude',
    tools: [weatherTool],
    messages: [
      ...ask,
      {
        role: 'assistant',
        content: null,
        tool_calls: [...calls.values()].map((call) => ({
          id: call.id ?? '',
          type: 'function' as const,
          function: { name: 'get_weather', arguments: call.args },
        })),
      },
      { role: 'tool', tool_call_id: 'tooluse_a', content: 'sunny' },
      { role: 'tool', tool_call_id: 'tooluse_b', content: 'rainy' },
    ],
  });
  const messages = fixture.bedrock.requests[1]?.body.messages as { role: string; content: object[] }[];
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(messages[2]?.content).toEqual([
    { toolResult: { toolUseId: 'tooluse_a', content: [{ text: 'sunny' }] } },
    { toolResult: { toolUseId: 'tooluse_b', content: [{ text: 'rainy' }] } },
  ]);
});

it('a mid-stream exception ends the client stream with an error, not a clean end', async () => {
  fixture.bedrock.enqueue(bedrockReply.midStreamException('Half an answ'));
  const stream = await fixture.client.chat.completions.create({ model: 'claude', messages: ask, stream: true });
  let text = '';
  const read = async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  };
  await expect(read()).rejects.toThrow();
  expect(text).toBe('Half an answ');
});

it('a guardrail intervention is a content_filter finish with the guardrail message; the guardrail goes upstream', async () => {
  const blocked = 'Sorry, the model cannot answer this question.';
  fixture.bedrock.enqueue(
    bedrockReply.text(blocked, { stopReason: 'guardrail_intervened' }),
    bedrockReply.text(blocked, { stopReason: 'guardrail_intervened' }),
  );
  const data = await fixture.client.chat.completions.create({ model: 'guarded', messages: ask });
  expect([data.choices[0]?.finish_reason, data.choices[0]?.message.content]).toEqual(['content_filter', blocked]);
  const stream = await fixture.client.chat.completions.create({ model: 'guarded', messages: ask, stream: true });
  const finishes: string[] = [];
  for await (const chunk of stream) if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
  expect(finishes).toEqual(['content_filter']);
  expect(fixture.bedrock.requests.map((r) => r.body.guardrailConfig)).toEqual([
    { guardrailIdentifier: GUARDRAIL.identifier, guardrailVersion: GUARDRAIL.version },
    { guardrailIdentifier: GUARDRAIL.identifier, guardrailVersion: GUARDRAIL.version, streamProcessingMode: 'sync' },
  ]);
});

it('a field Converse lacks is a 400 naming it; a hint is dropped and named in X-Gateway-Ignored', async () => {
  await expect(
    fixture.client.chat.completions.create({ model: 'claude', messages: ask, seed: 7 }),
  ).rejects.toMatchObject({
    status: 400,
    code: 'unsupported_parameter',
    param: 'seed',
  });
  const { response } = await fixture.client.chat.completions
    .create({ model: 'claude', messages: ask, user: 'u-1', store: true })
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')).toBe('store,user');
});

it('readiness: a Bedrock provider needs no key (the AWS credential chain), so none is reported missing', async () => {
  const res = await fetch(`${fixture.gateway.url}/health/ready`);
  const body = (await res.json()) as { checks: Record<string, { status: string; detail?: string }> };
  expect(res.status).toBe(200);
  expect(body.checks.secrets).toEqual({ status: 'ok' });
});
