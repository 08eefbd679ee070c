import type { Vector } from '../../providers/embedding-types.js';

/** The float vector of a base64 little-endian float32 one. */
export function floatsOf(vector: Vector): number[] {
  if (typeof vector !== 'string') return [...vector];
  const bytes = Buffer.from(vector, 'base64');
  const out: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) out.push(bytes.readFloatLE(offset));
  return out;
}

/** Base64 of the vector as little-endian float32 (what OpenAI sends and the openai SDK decodes); kept when it is. */
export function base64Of(vector: Vector): string {
  if (typeof vector === 'string') return vector;
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

/** A vector's length: its floats, or its base64's float32 count. */
export const dimensionsOf = (vector: Vector): number =>
  typeof vector === 'string' ? Math.floor(Buffer.from(vector, 'base64').length / 4) : vector.length;

export interface EmbeddingList {
  readonly object: 'list';
  readonly data: { readonly object: 'embedding'; readonly index: number; readonly embedding: number[] | string }[];
  readonly model: string;
  readonly usage: { readonly prompt_tokens: number; readonly total_tokens: number };
}

/** OpenAI's embeddings answer, named by the alias, in the encoding the client asked for (float by default). */
export function embeddingList(
  vectors: readonly Vector[],
  encoding: 'float' | 'base64',
  alias: string,
  inputTokens: number,
): EmbeddingList {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? base64Of(vector) : floatsOf(vector),
    })),
    model: alias,
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  };
}
