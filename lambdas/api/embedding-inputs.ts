import type { EmbeddingInput } from '../providers/embedding-types.js';
import { textTokens } from '../usage/estimate.js';

/** An embeddings request's `input` as validated (embeddings-schemas.ts); zod-free helpers over it. */
type RawInput = string | string[] | number[] | number[][];

/** The inputs as a list, one per vector the answer carries: a string or a token array alone is one input. */
const isTokenArray = (input: Exclude<RawInput, string>): input is number[] => typeof input[0] === 'number';
export function inputList(input: RawInput): EmbeddingInput[] {
  if (typeof input === 'string' || isTokenArray(input)) return [input];
  return input;
}

/** An input's tokens: its length for token ids, the estimate for text. */
export const inputTokens = (input: EmbeddingInput): number =>
  typeof input === 'string' ? textTokens(input) : input.length;
