/**
 * The fake OpenAI's POST /v1/embeddings (fake-openai.ts routes it here): deterministic vectors of unit length, the
 * same for the same input and length, `encoding_format` honoured as OpenAI does (float when absent; base64 is
 * little-endian float32), `dimensions` honoured (else `FAKE_EMBEDDING_DIMENSIONS`), and usage with prompt_tokens
 * (about 4 bytes a token, token arrays by their length). Scripted answers: `embeddingsBody` with `reply.json`.
 */
import { createHash } from 'node:crypto';

export const FAKE_EMBEDDING_DIMENSIONS = 1536;
export const FAKE_EMBEDDING_MODEL = 'text-embedding-3-small';

type Input = string | readonly number[];

/** The fake's vector of one input: float32-exact numbers, so float and base64 answers carry the same values. */
export function fakeEmbedding(input: Input, dimensions: number = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const seed = typeof input === 'string' ? input : input.join(',');
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const digest = createHash('sha1').update(`fake:${block}:${seed}`).digest();
    for (let i = 0; i + 2 <= digest.length && raw.length < dimensions; i += 2) raw.push(digest.readUInt16LE(i) - 32768);
  }
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  return raw.map((x) => Math.fround(x / norm));
}

export const float32Base64 = (vector: readonly number[]): string =>
  Buffer.from(new Float32Array(vector).buffer).toString('base64');

export const fakeTokens = (input: Input): number =>
  typeof input === 'string' ? Math.max(1, Math.ceil(Buffer.byteLength(input) / 4)) : input.length;

function inputsOf(input: unknown): Input[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  return input as Input[];
}

/** OpenAI's embedding list for a request body; `promptTokens` overrides the fake's count. */
export function embeddingsBody(body: unknown, options: { promptTokens?: number; dimensions?: number } = {}): object {
  const request = (typeof body === 'object' && body !== null ? body : {}) as {
    input?: unknown;
    model?: unknown;
    dimensions?: unknown;
    encoding_format?: unknown;
  };
  const inputs = inputsOf(request.input);
  const dimensions =
    options.dimensions ?? (typeof request.dimensions === 'number' ? request.dimensions : FAKE_EMBEDDING_DIMENSIONS);
  const tokens = options.promptTokens ?? inputs.reduce((sum, input) => sum + fakeTokens(input), 0);
  return {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = fakeEmbedding(input, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: request.encoding_format === 'base64' ? float32Base64(vector) : vector,
      };
    }),
    model: typeof request.model === 'string' ? request.model : FAKE_EMBEDDING_MODEL,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
