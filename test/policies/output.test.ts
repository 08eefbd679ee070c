import type { ChatResult } from '../../lambdas/providers/types.js';
import { policiesSchema, type PoliciesConfig } from '../../lambdas/policies/config.js';
import { redactedStream } from '../../lambdas/chat/redacted-stream.js';
import { redactChatResult } from '../../lambdas/policies/output.js';
import type { StreamPart } from '../../lambdas/providers/types.js';
import { StreamRedactor } from '../../lambdas/policies/stream-redactor.js';
import { ALL_DETECTORS, FAKE_JWT, FAKE_OPENAI_KEY, redacted } from './pii-fixtures.js';

const onOutput: PoliciesConfig = policiesSchema.parse({
  pii: { mode: 'block', detectors: ['email', 'card', 'phone', 'api_key', 'jwt', 'private_key'], applyToOutput: true },
});

/** Streams `deltas` through a redactor, returning what the client would receive, in order. */
function streamThrough(deltas: readonly string[], redactor = new StreamRedactor(ALL_DETECTORS)): string {
  let out = '';
  for (const delta of deltas) out += redactor.push(delta);
  return out + redactor.end();
}

/** One text of an answer through the production path (redactChatResult): its redacted text and the decision. */
function redactOutputText(
  text: string,
  policies: PoliciesConfig | undefined,
): { text: string | null; decision: string | undefined } {
  const { result, decision } = redactChatResult(
    { content: text, refusal: null, toolCalls: [], finishReason: 'stop', usage: undefined },
    policies,
  );
  return { text: result.content, decision };
}

async function* partsOf(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

/** `text` cut into pieces of `size` characters. */
const chunks = (text: string, size: number): string[] =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('output: a completed answer', () => {
  it('redacts the text (always redaction, even when the request mode is block)', () => {
    expect(redactOutputText('Write to jane.doe@acme.io.', onOutput)).toEqual({
      text: 'Write to [REDACTED:email].',
      decision: 'pii.output.redact=email:1',
    });
  });

  it('does nothing unless applyToOutput is set', () => {
    const requestOnly = policiesSchema.parse({ pii: { mode: 'redact', detectors: ['email'] } });
    expect(redactOutputText('jane.doe@acme.io', requestOnly)).toEqual({
      text: 'jane.doe@acme.io',
      decision: undefined,
    });
    expect(redactOutputText('jane.doe@acme.io', undefined)).toEqual({ text: 'jane.doe@acme.io', decision: undefined });
    expect(redactedStream(partsOf([]), requestOnly)).toBeUndefined();
  });

  it('redacts content, refusal and tool-call arguments of a result, one decision for all', () => {
    const result: ChatResult = {
      content: 'Card 4539 1488 0343 6467 on file.',
      refusal: null,
      toolCalls: [{ id: 'c', name: 'notify', arguments: '{"to":"jane.doe@acme.io","cc":"ops@acme.io"}' }],
      finishReason: 'tool_calls',
      usage: undefined,
    };
    const { result: out, decision } = redactChatResult(result, onOutput);
    expect(out.content).toBe('Card [REDACTED:card] on file.');
    expect(out.toolCalls[0]?.arguments).toBe('{"to":"[REDACTED:email]","cc":"[REDACTED:email]"}');
    expect(out.refusal).toBeNull();
    expect(decision).toBe('pii.output.redact=card:1,email:2');
  });
});

describe('output: the streaming redactor', () => {
  const answer =
    `Sure! Contact jane.doe@acme.io or call +44 20 7946 0958. The card on file is 4539 1488 0343 6467; ` +
    `your key ${FAKE_OPENAI_KEY} and token ${FAKE_JWT} should be rotated. Order 100245789 ships 2024-03-15.`;

  it('gives the same result as redacting the whole answer, whatever the delta size', () => {
    const whole = redacted(answer);
    expect(whole).not.toContain('4539');
    for (const size of [1, 2, 3, 5, 7, 16, 64, 1000]) {
      const redactor = new StreamRedactor(ALL_DETECTORS);
      expect(streamThrough(chunks(answer, size), redactor)).toBe(whole);
      expect(redactor.tally.decision()).toBe('pii.output.redact=jwt:1,api_key:1,card:1,email:1,phone:1'); // each counted once
    }
  });

  it('catches a card number split across two deltas at every possible point', () => {
    const text = 'Your card 4539 1488 0343 6467 is active.';
    for (let at = 1; at < text.length; at += 1) {
      expect(streamThrough([text.slice(0, at), text.slice(at)])).toBe('Your card [REDACTED:card] is active.');
    }
  });

  it('catches a key longer than the window split in two (token-like runs are held whole)', () => {
    const redactor = new StreamRedactor(ALL_DETECTORS, { holdChars: 16 });
    const text = `key=${FAKE_JWT} done`;
    expect(streamThrough([text.slice(0, 60), text.slice(60)], redactor)).toBe('key=[REDACTED:jwt] done');
  });

  it('holds a PEM block from BEGIN until its END arrives', () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----';
    const redactor = new StreamRedactor(ALL_DETECTORS); // the BEGIN line fits the default 64-character window
    let sent = '';
    for (const delta of chunks(`Here:\n${pem}\nDone, this is the end of it.`, 4)) {
      sent += redactor.push(delta);
      expect(sent).not.toMatch(/MIIE|BKcw|BEGIN/);
    }
    expect(sent + redactor.end()).toBe('Here:\n[REDACTED:private_key]\nDone, this is the end of it.');
  });

  it('releases text once it is holdChars behind, not only at the end (bounded latency)', () => {
    const redactor = new StreamRedactor(ALL_DETECTORS, { holdChars: 64 });
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(10); // 450 characters, no PII
    let sent = '';
    for (const delta of chunks(prose, 5)) {
      sent += redactor.push(delta);
      expect(prose.startsWith(sent)).toBe(true);
    }
    expect(sent.length).toBeGreaterThanOrEqual(prose.length - 64 - 10);
    expect(sent + redactor.end()).toBe(prose);
  });

  it('never holds more than maxHoldChars of one unbroken run', () => {
    const redactor = new StreamRedactor(ALL_DETECTORS, { holdChars: 16, maxHoldChars: 256 });
    let sent = '';
    for (const delta of chunks('x'.repeat(2000), 10)) sent += redactor.push(delta);
    expect(sent.length).toBeGreaterThanOrEqual(2000 - 256 - 10);
    expect(sent + redactor.end()).toBe('x'.repeat(2000));
  });

  it('a shared tally gives one decision for the content and tool-call streams', async () => {
    const stream = redactedStream(
      partsOf([
        { type: 'text-delta', delta: 'mail jane.d' },
        { type: 'text-delta', delta: 'oe@acme.io now' },
        { type: 'tool-call-start', index: 0, id: 'c', name: 'notify' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"to":"ops@ac' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: 'me.io"}' },
      ]),
      onOutput,
    );
    if (stream === undefined) throw new Error('expected redactors');
    let content = '';
    let args = '';
    for await (const part of stream.parts) {
      if (part.type === 'text-delta') content += part.delta;
      else if (part.type === 'tool-call-delta') args += part.argumentsDelta;
    }
    expect(content).toBe('mail [REDACTED:email] now');
    expect(args).toBe('{"to":"[REDACTED:email]"}');
    expect(stream.decision()).toBe('pii.output.redact=email:2');
  });

  it("redacts a streamed refusal as a completed answer's refusal is redacted, in the same tally", async () => {
    const stream = redactedStream(
      partsOf([
        { type: 'refusal-delta', delta: 'I will not mail jane.d' },
        { type: 'refusal-delta', delta: 'oe@acme.io or call' },
        { type: 'finish', finishReason: 'stop' },
      ]),
      onOutput,
    );
    if (stream === undefined) throw new Error('expected redactors');
    let refusal = '';
    for await (const part of stream.parts) if (part.type === 'refusal-delta') refusal += part.delta;
    expect(refusal).toBe('I will not mail [REDACTED:email] or call');
    expect(stream.decision()).toBe('pii.output.redact=email:1');
  });

  it('keeps already-sent text as context: a BSN keyword sent earlier still qualifies the number', () => {
    const text = `${'x '.repeat(30)}BSN: 111222333${' y'.repeat(30)}`;
    const expected = text.replace('111222333', '[REDACTED:nl_bsn]');
    for (let size = 1; size <= 9; size += 1) {
      const redactor = new StreamRedactor(ALL_DETECTORS, { holdChars: 8 });
      expect(streamThrough(chunks(text, size), redactor)).toBe(expected);
      expect(redactor.tally.decision()).toBe('pii.output.redact=nl_bsn:1');
    }
  });
});
