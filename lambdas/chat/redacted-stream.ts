import type { PoliciesConfig } from '../policies/config.js';
import type { PolicyDecision } from '../policies/decisions.js';
import { outputDetectors } from '../policies/output.js';
import { OutputTally } from '../policies/output-tally.js';
import { StreamRedactor } from '../policies/stream-redactor.js';
import type { StreamPart } from '../providers/types.js';

interface RedactedStream {
  readonly parts: AsyncGenerator<StreamPart>;
  /** `pii.output.redact=…` once the stream has ended, or undefined when nothing was redacted. */
  decision(): PolicyDecision | undefined;
}

/**
 * A stream's answer through the plan's output redaction (`pii.applyToOutput`): one StreamRedactor for the text, one
 * for the refusal (as a completed answer's refusal is redacted), one per reasoning block's thinking text and one per
 * tool call's arguments, sharing one tally. What a redactor holds back
 * is released, redacted, before anything that follows it in the answer: before a tool call or another reasoning block
 * starts, before text after reasoning (so blocks keep their order), before a reasoning block's signature, before the
 * finish or an error, and at the end. A redacted_thinking block is encrypted by the provider: it passes as it is.
 * Undefined when the plan does not redact output: the stream then passes untouched, with no delay.
 */
export function redactedStream(
  parts: AsyncIterable<StreamPart>,
  policies: PoliciesConfig | undefined,
): RedactedStream | undefined {
  const found = outputDetectors(policies);
  if (found === undefined) return undefined;
  const detectors = found;
  const tally = new OutputTally();
  const text = new StreamRedactor(detectors, { tally });
  const calls = new Map<number, StreamRedactor>();
  const thoughts = new Map<number, StreamRedactor>();
  let refusal: StreamRedactor | undefined;

  function* flushText(): Generator<StreamPart> {
    const rest = text.end();
    if (rest !== '') yield { type: 'text-delta', delta: rest };
  }
  function* flushReasoning(): Generator<StreamPart> {
    for (const [index, thought] of thoughts) {
      const rest = thought.end();
      if (rest !== '') yield { type: 'reasoning-delta', index, delta: rest };
    }
  }
  function* flushRefusal(): Generator<StreamPart> {
    const rest = refusal?.end() ?? '';
    if (rest !== '') yield { type: 'refusal-delta', delta: rest };
  }
  function* flushAll(): Generator<StreamPart> {
    yield* flushReasoning();
    yield* flushText();
    yield* flushRefusal();
    for (const [index, call] of calls) {
      const rest = call.end();
      if (rest !== '') yield { type: 'tool-call-delta', index, argumentsDelta: rest };
    }
  }
  /** The redactor of reasoning block `index`; a new block first releases everything held before it. */
  function* thoughtOf(index: number): Generator<StreamPart, StreamRedactor> {
    const known = thoughts.get(index);
    if (known !== undefined) return known;
    yield* flushAll();
    const thought = new StreamRedactor(detectors, { tally });
    thoughts.set(index, thought);
    return thought;
  }
  async function* pass(): AsyncGenerator<StreamPart> {
    for await (const part of parts) {
      switch (part.type) {
        case 'text-delta': {
          yield* flushReasoning();
          const out = text.push(part.delta);
          if (out !== '') yield { type: 'text-delta', delta: out };
          break;
        }
        case 'reasoning-delta': {
          const out = (yield* thoughtOf(part.index)).push(part.delta);
          if (out !== '') yield { ...part, delta: out };
          break;
        }
        case 'reasoning-item':
        case 'reasoning-signature': {
          const rest = (yield* thoughtOf(part.index)).end();
          if (rest !== '') yield { type: 'reasoning-delta', index: part.index, delta: rest };
          yield part;
          break;
        }
        case 'reasoning-redacted':
        case 'tool-call-start':
          yield* flushReasoning();
          yield* flushText();
          if (part.type === 'tool-call-start') calls.set(part.index, new StreamRedactor(detectors, { tally }));
          yield part;
          break;
        case 'tool-call-delta': {
          const call = calls.get(part.index);
          const out = call === undefined ? part.argumentsDelta : call.push(part.argumentsDelta);
          if (out !== '') yield { ...part, argumentsDelta: out };
          break;
        }
        case 'refusal-delta': {
          refusal ??= new StreamRedactor(detectors, { tally });
          const out = refusal.push(part.delta);
          if (out !== '') yield { type: 'refusal-delta', delta: out };
          break;
        }
        case 'usage':
          yield part;
          break;
        case 'finish':
        case 'error':
          yield* flushAll();
          yield part;
          break;
      }
    }
    yield* flushAll();
  }
  return { parts: pass(), decision: () => tally.decision() };
}
