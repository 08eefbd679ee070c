import { createHash } from 'node:crypto';
import { inputTokens } from '../../api/embedding-inputs.js';
import type { EmbeddingInput } from '../../providers/embedding-types.js';
import type { EmbedCall, EmbedResult } from '../embedding-types.js';

/**
 * The echo provider's embeddings: deterministic vectors of unit length without any upstream, the same for the same
 * input and length (for trying /v1/embeddings locally; they mean nothing). Component i is drawn from SHA-256 of the
 * input and i; token counts are the gateway's estimate (lambdas/usage/estimate.ts).
 */
export function echoVector(input: EmbeddingInput, dimensions: number): number[] {
  const seed = typeof input === 'string' ? `t:${input}` : `n:${input.join(',')}`;
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${seed}`).digest();
    for (let i = 0; i + 4 <= digest.length && raw.length < dimensions; i += 4) {
      raw.push(digest.readUInt32LE(i) / 0x1_0000_0000 - 0.5);
    }
  }
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  // Rounded to float32, as a real provider's floats are: base64 and float answers then carry the same numbers.
  return raw.map((x) => Math.fround(x / norm));
}

export function echoEmbed(call: EmbedCall): EmbedResult {
  const dimensions = call.dimensions ?? call.targetDimensions;
  return {
    vectors: call.input.map((input) => echoVector(input, dimensions)),
    inputTokens: call.input.reduce((sum, input) => sum + inputTokens(input), 0),
  };
}
