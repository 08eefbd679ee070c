import type OpenAI from 'openai';
import type { EmbeddingInput } from '../../api/embeddings-schemas.js';
import type { EmbedCall, EmbedResult, Vector } from '../embedding-types.js';
import { answerOf, isAbort, toGatewayError } from '../upstream-error.js';
import { connectionWatch } from '../../transport/connect-watch.js';

/** The upstream request: always an array of inputs, the encoding asked for explicitly (the SDK then keeps it as sent). */
export function toEmbeddingParams(call: EmbedCall): OpenAI.EmbeddingCreateParams {
  return {
    model: call.model,
    input: upstreamInput(call.input),
    encoding_format: call.encodingFormat,
    ...(call.dimensions === undefined ? {} : { dimensions: call.dimensions }),
    ...(call.user === undefined ? {} : { user: call.user }),
  };
}

/** A request's inputs are all text or all token arrays (the request schema allows no mix). */
function upstreamInput(input: readonly EmbeddingInput[]): string[] | number[][] {
  const texts = input.filter((item) => typeof item === 'string');
  return texts.length === input.length ? texts : input.filter((item) => typeof item !== 'string').map((t) => [...t]);
}

const isVector = (value: unknown): value is Vector =>
  typeof value === 'string' || (Array.isArray(value) && value.every((n) => typeof n === 'number'));

/**
 * The answer's vectors in input order (by `index`), and its prompt_tokens. A body without one vector per input is the
 * provider's fault (`upstream_invalid_response`, answerOf).
 */
export function toEmbedResult(body: unknown, inputs: number): EmbedResult {
  const { data, usage } = body as { data?: unknown; usage?: { prompt_tokens?: unknown } };
  if (!Array.isArray(data) || data.length !== inputs) throw new TypeError('not one embedding per input');
  const items: readonly ({ index?: unknown; embedding?: unknown } | null)[] = data;
  const vectors: (Vector | undefined)[] = new Array<Vector | undefined>(inputs).fill(undefined);
  items.forEach((item, position) => {
    if (item === null || typeof item !== 'object') throw new TypeError('not an embedding');
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= inputs || !isVector(item.embedding)) {
      throw new TypeError('not an embedding');
    }
    vectors[index] = item.embedding;
  });
  const complete = vectors.filter((vector) => vector !== undefined);
  if (complete.length !== inputs) throw new TypeError('an input without its embedding');
  const tokens = usage?.prompt_tokens;
  return { vectors: complete, inputTokens: typeof tokens === 'number' ? tokens : undefined };
}

/** embeddings.create through the official SDK (OpenAI and OpenAI-compatible APIs alike). */
export async function openAIEmbed(client: OpenAI, provider: string, call: EmbedCall): Promise<EmbedResult> {
  let body: unknown;
  try {
    body = await client.embeddings.create(toEmbeddingParams(call), {
      signal: call.signal,
      headers: { 'X-Request-Id': call.requestId },
      fetchOptions: connectionWatch(call.onConnectionOpen),
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw toGatewayError(err, provider);
  }
  return answerOf(body, (answer) => toEmbedResult(answer, call.input.length), provider);
}
