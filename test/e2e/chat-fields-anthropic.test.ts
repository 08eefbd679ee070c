import { reply, startFakeAnthropic, textEvents } from '../fakes/fake-anthropic.js';
import { record } from '../helpers/agent-loop.js';
import { apiFailure as failure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Today's chat completions fields through the openai SDK to an Anthropic-backed alias (README "Fields"): hints the
// target lacks are dropped and named in X-Gateway-Ignored (JSON and stream), reasoning_effort becomes
// output_config.effort, file parts become document blocks, and a field whose loss would change the answer is a 400.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-fields' }));

const HINTS = {
  store: true,
  service_tier: 'flex',
  prompt_cache_key: 'app-cache-1',
  safety_identifier: 'user-hash-1',
  verbosity: 'low',
  prediction: { type: 'content', content: 'Hello' },
} as const;
const IGNORED = 'store,service_tier,prompt_cache_key,safety_identifier,verbosity,prediction';

it('drops hints and names them; translates reasoning_effort and a PDF file part', async () => {
  fixture.fake.enqueue(reply.text('Hi'));
  const { response } = await fixture.client.chat.completions
    .create({
      model: 'target',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read this' },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'a.pdf' } },
          ],
        },
      ],
      reasoning_effort: 'high',
      logprobs: false,
      logit_bias: {},
      modalities: ['text'],
      ...HINTS,
    })
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')).toBe(IGNORED);
  const upstream = record(fixture.fake.requests[0]?.body);
  for (const field of Object.keys(HINTS)) expect(upstream).not.toHaveProperty(field);
  expect(upstream.output_config).toEqual({ effort: 'high' });
  expect(upstream.messages).toEqual([
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Read this' },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
          title: 'a.pdf',
        },
      ],
    },
  ]);
});

it('names dropped hints on a stream too', async () => {
  fixture.fake.enqueue(reply.stream(textEvents('Hi there')));
  const { data, response } = await fixture.client.chat.completions
    .create({ model: 'target', messages: [{ role: 'user', content: 'Hi' }], stream: true, ...HINTS })
    .withResponse();
  let text = '';
  for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('Hi there');
  expect(response.headers.get('x-gateway-ignored')).toBe(IGNORED);
});

it.each([
  ['logprobs', { logprobs: true }],
  ['top_logprobs', { logprobs: true, top_logprobs: 2 }],
  ['logit_bias', { logit_bias: { '50256': -100 } }],
  ['modalities', { modalities: ['text', 'audio'] as ('text' | 'audio')[] }],
])('refuses %s, whose loss would change the answer, with a 400 naming it', async (param, fields) => {
  const err = await failure(
    fixture.client.chat.completions.create({ model: 'target', messages: [{ role: 'user', content: 'Hi' }], ...fields }),
  );
  expect(err.status).toBe(400);
  expect(err.param).toBe(param);
  expect(fixture.fake.requests).toHaveLength(0);
});
