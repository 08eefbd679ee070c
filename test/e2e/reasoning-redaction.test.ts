import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { message, reply, startFakeAnthropic, textBlock } from '../fakes/fake-anthropic.js';
import { interleavedThinkingEvents, SIGNATURE, thinkingBlock } from '../fakes/fake-anthropic-thinking.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// A plan that redacts PII in answers (pii.applyToOutput) redacts the model's reasoning too, JSON and streams, both
// formats: nothing unredacted leaves through the reasoning channel. The signature is passed as Anthropic sent it.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }), undefined, {
  plans: {
    default: {
      rateLimit: 1000,
      burstLimit: 1000,
      policies: { pii: { mode: 'redact', detectors: ['email', 'card'], applyToOutput: true } },
    },
  },
});

const EMAIL = 'jane.doe@example.com';
const sdk = () => new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
const openai = () => new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
const ask = { model: 'target', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Who pays?' }] };

it('/v1/messages JSON and stream: thinking text redacted, the signature as sent', async () => {
  fixture.fake.enqueue(reply.message(message([thinkingBlock(`Mail ${EMAIL} first.`), textBlock('Jane pays.')])));
  const answer = await sdk().messages.create(ask);
  expect(answer.content[0]).toEqual({
    type: 'thinking',
    thinking: 'Mail [REDACTED:email] first.',
    signature: SIGNATURE,
  });

  // The card arrives split across thinking deltas.
  fixture.fake.enqueue(
    reply.stream(
      interleavedThinkingEvents([{ thinking: ['Card 4111 1111', ' 1111 1111 on file.'] }, { text: ['Jane pays.'] }]),
    ),
  );
  const stream = sdk().messages.stream(ask);
  const deltas: string[] = [];
  stream.on('thinking', (delta) => deltas.push(delta));
  const final = await stream.finalMessage();
  expect(final.content[0]).toEqual({
    type: 'thinking',
    thinking: 'Card [REDACTED:card] on file.',
    signature: SIGNATURE,
  });
  expect(deltas.join('')).not.toContain('1111 1111');
});

it('chat completions JSON and stream: reasoning_content and thinking_blocks redacted', async () => {
  fixture.fake.enqueue(reply.message(message([thinkingBlock(`Mail ${EMAIL} first.`), textBlock('Jane pays.')])));
  const completion = await openai().chat.completions.create({ model: 'target', messages: ask.messages });
  const body = JSON.stringify(completion);
  expect(body).not.toContain(EMAIL);
  expect((completion.choices[0]?.message as unknown as Record<string, unknown>)['reasoning_content']).toBe(
    'Mail [REDACTED:email] first.',
  );

  fixture.fake.enqueue(
    reply.stream(
      interleavedThinkingEvents([{ thinking: ['Card 4111 1111', ' 1111 1111 on file.'] }, { text: ['OK'] }]),
    ),
  );
  const stream = await openai().chat.completions.create({ model: 'target', messages: ask.messages, stream: true });
  let reasoning = '';
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
    if (typeof delta?.['reasoning_content'] === 'string') reasoning += delta['reasoning_content'];
  }
  expect(reasoning).toBe('Card [REDACTED:card] on file.');
});
