import { plainChatRequest } from '../../lambdas/api/chat-fast-check.js';
import { chatRequestSchema } from '../../lambdas/api/chat-schemas.js';

// The zod-free check answers only when it is sure: every body it takes, chatRequestSchema takes too, and gives back
// unchanged. Bodies are built from values on both sides of each rule, as JSON would bring them.

/** A small deterministic generator (mulberry32), so a failure names a reproducible body. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const long = (n: number): string => 'x'.repeat(n);
const CHOICES: Record<string, readonly unknown[]> = {
  model: ['fast', '', long(64), long(65), 7, null, ['fast']],
  stream: [true, false, null, 'true', 1],
  stream_options: [
    { include_usage: true },
    { include_obfuscation: false },
    {},
    { include_usage: 'yes' },
    { x: true },
    null,
    [],
  ],
  temperature: [0, 0.7, 2, 2.0001, -0.1, '1', null, 1e308],
  top_p: [0, 1, 1.01, -1, null],
  max_tokens: [1, 1000, 0, -5, 1.5, 2 ** 53, null, '10'],
  max_completion_tokens: [1, 0, 3.2, null],
  user: ['u-1', '', long(512), long(513), 5, null],
  frequency_penalty: [-2, 0, 2, 2.5, null],
  presence_penalty: [-2.1, 1, null],
  n: [1, 2, null, '1'],
  seed: [1, null],
  tools: [[{ type: 'function', function: { name: 'f' } }], []],
  tool_choice: ['auto', 'none'],
  extra: [1, 'x'],
};
const CONTENTS: readonly unknown[] = ['Hi', '', null, [{ type: 'text', text: 'Hi' }], [], 5, { text: 'Hi' }];
const ROLES: readonly unknown[] = ['system', 'developer', 'user', 'assistant', 'tool', 'function', 'bot', 3];

function message(next: () => number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const m: Record<string, unknown> = {
    role: next() < 0.9 ? pick(['system', 'developer', 'user', 'assistant']) : pick(ROLES),
    content: next() < 0.9 ? 'Hi' : pick(CONTENTS),
  };
  if (next() < 0.03) delete m.content;
  if (next() < 0.03) m.name = pick(['bob', '', long(65)]);
  if (next() < 0.05) m.tool_call_id = 'call_1';
  return m;
}

function body(next: () => number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const b: Record<string, unknown> = {};
  if (next() < 0.95) b.model = next() < 0.7 ? 'fast' : pick(CHOICES.model ?? []);
  if (next() < 0.95)
    b.messages = next() < 0.05 ? [] : Array.from({ length: 1 + Math.floor(next() * 3) }, () => message(next));
  for (const [field, values] of Object.entries(CHOICES))
    if (field !== 'model' && next() < 0.08) b[field] = pick(values);
  return JSON.parse(JSON.stringify(b)) as unknown;
}

describe('plainChatRequest', () => {
  it('takes only bodies the schema takes, and gives them back as the schema parses them (20,000 bodies)', () => {
    const next = random(20261207);
    let taken = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const candidate = body(next);
      const plain = plainChatRequest(candidate);
      if (plain === undefined) continue;
      taken += 1;
      const parsed = chatRequestSchema.safeParse(candidate);
      expect({ body: candidate, success: parsed.success }).toEqual({ body: candidate, success: true });
      expect(plain).toEqual(parsed.data);
    }
    // The generator reaches both sides: many bodies taken, many left to the schema.
    expect(taken).toBeGreaterThan(1_000);
    expect(taken).toBeLessThan(19_000);
  });

  it.each([
    ['the openai SDK', { messages: [{ role: 'user', content: 'Hi' }], model: 'fast' }],
    [
      'a stream with usage',
      {
        model: 'fast',
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'user', content: 'Hi' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
    [
      'sampling fields',
      { model: 'fast', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, max_tokens: 50, top_p: 1, n: 1 },
    ],
  ])('takes %s', (_, request) => {
    expect(plainChatRequest(request)).toBe(request);
  });

  it.each([
    [
      'stream_options without stream',
      { model: 'fast', messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: true } },
    ],
    ['an unknown field', { model: 'fast', messages: [{ role: 'user', content: 'Hi' }], temprature: 1 }],
    ['a tool message', { model: 'fast', messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] }],
    ['content parts', { model: 'fast', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }],
    [
      'a __proto__ key',
      JSON.parse('{"model":"fast","messages":[{"role":"user","content":"Hi"}],"__proto__":{"x":1}}') as unknown,
    ],
    ['an array', [{ model: 'fast' }]],
  ])('leaves %s to the schema', (_, request) => {
    expect(plainChatRequest(request)).toBeUndefined();
  });
});
