import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { toChatResult } from '../../../lambdas/providers/openai/openai-response.js';
import { toStreamParts } from '../../../lambdas/providers/openai/openai-stream-parts.js';
import type { StreamPart } from '../../../lambdas/providers/types.js';
import { textChunks, textCompletion } from '../../fakes/fake-openai.js';
import { reasoningChunks, reasoningCompletion } from '../../fakes/fake-openai-reasoning.js';

// An OpenAI-compatible server's reasoning (`reasoning_content`, `reasoning`) → one unsigned thinking block.

async function collect(chunks: readonly ChatCompletionChunk[]): Promise<StreamPart[]> {
  async function* source(): AsyncGenerator<ChatCompletionChunk> {
    yield* chunks;
  }
  const parts: StreamPart[] = [];
  for await (const part of toStreamParts(source(), 'compat')) parts.push(part);
  return parts;
}

it.each(['reasoning_content', 'reasoning'] as const)(
  'JSON: message.%s is a thinking block with no signature',
  (field) => {
    const result = toChatResult(reasoningCompletion('Two plus two…', '4', { field }));
    expect(result.reasoning).toEqual([{ type: 'thinking', thinking: 'Two plus two…', signature: '' }]);
    expect(result.content).toBe('4');
  },
);

it('JSON: OpenAI itself (no reasoning field, or null or empty) gives no reasoning', () => {
  expect(toChatResult(textCompletion('4'))).not.toHaveProperty('reasoning');
  const body = textCompletion('4');
  const nulls = {
    ...body,
    choices: body.choices.map((c) => ({ ...c, message: { ...c.message, reasoning_content: null, reasoning: '' } })),
  };
  expect(toChatResult(nulls)).not.toHaveProperty('reasoning');
});

it.each(['reasoning_content', 'reasoning'] as const)(
  'stream: delta.%s → reasoning-delta parts of block 0, before the text',
  async (field) => {
    const parts = await collect(reasoningChunks('Two plus two is four.', 'It is 4.', { field }));
    const reasoning = parts.filter((part) => part.type === 'reasoning-delta');
    expect(reasoning.map((part) => part.index)).toEqual([0, 0, 0]);
    expect(reasoning.map((part) => (part.type === 'reasoning-delta' ? part.delta : '')).join('')).toBe(
      'Two plus two is four.',
    );
    expect(parts.findIndex((part) => part.type === 'text-delta')).toBeGreaterThan(
      parts.lastIndexOf(reasoning[2] as StreamPart),
    );
  },
);

it('stream: reasoning that resumes after text opens the next block', async () => {
  const [role, ...rest] = textChunks('A', { parts: 1 });
  if (role === undefined) throw new Error('no role chunk');
  const think = (piece: string): ChatCompletionChunk => ({
    ...role,
    choices: role.choices.map((choice) => ({
      ...choice,
      delta: { reasoning_content: piece } as ChatCompletionChunk.Choice['delta'],
    })),
  });
  const parts = await collect([role, think('one'), ...rest.slice(0, 1), think('two'), ...rest.slice(1)]);
  expect(parts.filter((part) => part.type === 'reasoning-delta')).toEqual([
    { type: 'reasoning-delta', index: 0, delta: 'one' },
    { type: 'reasoning-delta', index: 1, delta: 'two' },
  ]);
});
