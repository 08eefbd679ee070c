import { redactedStream } from '../../lambdas/chat/redacted-stream.js';
import { tallied } from '../../lambdas/chat/metering.js';
import { policiesSchema, type PoliciesConfig } from '../../lambdas/policies/config.js';
import { redactChatResult } from '../../lambdas/policies/output.js';
import type { ChatResult, StreamPart } from '../../lambdas/providers/types.js';
import { estimateOutputTokens, producedOf } from '../../lambdas/usage/estimate.js';

// Reasoning through the output policies (PII redaction) and the books (the estimate counts it as output).

const onOutput: PoliciesConfig = policiesSchema.parse({
  pii: { mode: 'block', detectors: ['email', 'card'], applyToOutput: true },
});
const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';

async function* partsOf(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}
async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}
const thought = (parts: readonly StreamPart[], index: number): string =>
  parts.map((p) => (p.type === 'reasoning-delta' && p.index === index ? p.delta : '')).join('');

it('JSON: thinking text is redacted; the signature and redacted_thinking data pass as they are', () => {
  const result: ChatResult = {
    content: 'Done.',
    refusal: null,
    toolCalls: [],
    finishReason: 'stop',
    usage: undefined,
    reasoning: [
      { type: 'thinking', thinking: `Mail ${EMAIL} about it.`, signature: 'SIG' },
      { type: 'redacted_thinking', data: 'ENCRYPTED' },
    ],
  };
  const { result: out, decision } = redactChatResult(result, onOutput);
  expect(out.reasoning?.[0]).toEqual({
    type: 'thinking',
    thinking: 'Mail [REDACTED:email] about it.',
    signature: 'SIG',
  });
  expect(out.reasoning?.[1]).toEqual({ type: 'redacted_thinking', data: 'ENCRYPTED' });
  expect(JSON.stringify(out)).not.toContain(EMAIL);
  expect(decision).toContain('email');
});

it('stream: a card split across thinking deltas never leaves unredacted; held text goes out before the signature', async () => {
  const redacted = redactedStream(
    partsOf([
      { type: 'reasoning-delta', index: 0, delta: 'Pay with 4111 1111' },
      { type: 'reasoning-delta', index: 0, delta: ' 1111 1111 now.' },
      { type: 'reasoning-signature', index: 0, signature: 'SIG' },
      { type: 'reasoning-delta', index: 1, delta: `Or mail ${EMAIL}` },
      { type: 'text-delta', delta: 'Paid.' },
      { type: 'finish', finishReason: 'stop' },
    ]),
    onOutput,
  );
  if (redacted === undefined) throw new Error('output redaction is on');
  const parts = await collect(redacted.parts);
  expect(JSON.stringify(parts)).not.toContain(CARD);
  expect(JSON.stringify(parts)).not.toContain(EMAIL);
  expect(thought(parts, 0)).toBe('Pay with [REDACTED:card] now.');
  expect(thought(parts, 1)).toBe('Or mail [REDACTED:email]');
  // Block order kept: block 0's text, its signature, block 1's text, then the answer's text.
  const order = parts.map((p) => (p.type === 'reasoning-delta' ? `r${p.index}` : p.type));
  expect(order.filter((step, i) => step !== order[i - 1])).toEqual([
    'r0',
    'reasoning-signature',
    'r1',
    'text-delta',
    'finish',
  ]);
  expect(redacted.decision()).toBeDefined();
});

it('books: a stream tally and a JSON result count reasoning text as output', async () => {
  const thinking = 'y'.repeat(80);
  const stream = tallied(
    partsOf([
      { type: 'reasoning-delta', index: 0, delta: thinking },
      { type: 'text-delta', delta: 'ok' },
    ]),
  );
  await collect(stream.parts);
  expect(estimateOutputTokens(stream.produced())).toBe(20 + 1);
  const json = producedOf({
    content: 'ok',
    refusal: null,
    toolCalls: [],
    reasoning: [{ type: 'thinking', thinking, signature: '' }],
  });
  expect(json).toEqual(stream.produced());
});
