import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { ignoredByAnthropic } from '../../../lambdas/providers/anthropic/ignored-fields.js';
import { toChatResult } from '../../../lambdas/providers/anthropic/anthropic-response.js';
import { toStreamParts } from '../../../lambdas/providers/anthropic/anthropic-stream-parts.js';
import type { StreamPart } from '../../../lambdas/providers/types.js';
import { message, textBlock, toolUseBlock, type SseEvent } from '../../fakes/fake-anthropic.js';
import {
  interleavedThinkingEvents,
  REDACTED_DATA,
  redactedThinkingBlock,
  SIGNATURE,
  SIGNATURE_2,
  thinkingBlock,
} from '../../fakes/fake-anthropic-thinking.js';

// Anthropic's thinking and redacted_thinking blocks → the canonical answer's reasoning (JSON) and reasoning parts
// (stream), in order, signatures and data exact.

async function collect(list: readonly SseEvent[]): Promise<StreamPart[]> {
  async function* source(): AsyncGenerator<RawMessageStreamEvent> {
    for (const event of list) yield event.data as RawMessageStreamEvent;
  }
  const parts: StreamPart[] = [];
  for await (const part of toStreamParts(source(), { provider: 'claude' })) parts.push(part);
  return parts;
}

const paris = { id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } };
const tokyo = { id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo' } };

it('JSON: thinking → tool_use → redacted → thinking → tool_use keeps every block and where it stood', () => {
  const result = toChatResult(
    message(
      [
        thinkingBlock('First Paris.'),
        textBlock('Checking.'),
        toolUseBlock(paris),
        redactedThinkingBlock(),
        thinkingBlock('Then Tokyo.', SIGNATURE_2),
        toolUseBlock(tokyo),
      ],
      { stopReason: 'tool_use' },
    ),
  );
  expect(result.reasoning).toEqual([
    { type: 'thinking', thinking: 'First Paris.', signature: SIGNATURE },
    { type: 'redacted_thinking', data: REDACTED_DATA },
    { type: 'thinking', thinking: 'Then Tokyo.', signature: SIGNATURE_2 },
  ]);
  expect(result.reasoningAfterToolCalls).toEqual([0, 1, 1]);
  expect(result.content).toBe('Checking.');
  expect(result.toolCalls.map((call) => call.id)).toEqual(['toolu_1', 'toolu_2']);
});

it('JSON: no thinking, no reasoning field', () => {
  const result = toChatResult(message([textBlock('Hi')]));
  expect(result).not.toHaveProperty('reasoning');
  expect(result).not.toHaveProperty('reasoningAfterToolCalls');
});

it('stream: reasoning blocks numbered in order, deltas then the signature, redacted whole, interleaved with tools', async () => {
  const parts = await collect(
    interleavedThinkingEvents([
      { thinking: ['Let me ', 'check Paris.'] },
      { tool: paris },
      { redacted: REDACTED_DATA },
      { thinking: ['Now Tokyo.'], signature: SIGNATURE_2 },
      { tool: tokyo },
    ]),
  );
  const content = parts.filter((part) => part.type !== 'usage' && part.type !== 'tool-call-delta');
  expect(content).toEqual([
    { type: 'reasoning-delta', index: 0, delta: 'Let me ' },
    { type: 'reasoning-delta', index: 0, delta: 'check Paris.' },
    { type: 'reasoning-signature', index: 0, signature: SIGNATURE },
    { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
    { type: 'reasoning-redacted', index: 1, data: REDACTED_DATA },
    { type: 'reasoning-delta', index: 2, delta: 'Now Tokyo.' },
    { type: 'reasoning-signature', index: 2, signature: SIGNATURE_2 },
    { type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'get_weather' },
    { type: 'finish', finishReason: 'tool_calls' },
  ]);
  // message_start's counts come just before the first content, which is the thinking.
  expect(parts[0]).toMatchObject({ type: 'usage', partial: true });
});

it('an Anthropic target drops reasoning_content sent back on an assistant message and names it', () => {
  const request: ChatRequest = {
    model: 'target',
    messages: [
      { role: 'user', content: '2+2?' },
      { role: 'assistant', content: '4', reasoning_content: 'Sum.' },
      { role: 'user', content: 'Sure?' },
    ],
  };
  expect(ignoredByAnthropic(request)).toContain('reasoning_content');
  expect(ignoredByAnthropic({ ...request, messages: [{ role: 'user', content: 'hi' }] })).not.toContain(
    'reasoning_content',
  );
});
