import { GatewayError } from '../../core/errors.js';
import type { EmbedCall } from '../embedding-types.js';

/**
 * The Bedrock embedding models the gateway speaks to, through InvokeModel and each model's own JSON body:
 *   Amazon Titan Text Embeddings v2 (`amazon.titan-embed-text-v2:0`): one text per call,
 *     `{inputText, dimensions: 256|512|1024, normalize: true}` → `{embedding, inputTextTokenCount}`;
 *   Cohere Embed v3 (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`): up to 96 texts per call, vectors of
 *     1024, `{texts, input_type: "search_document", embedding_types: ["float"]}` → `{embeddings: {float: [...]}}`
 *     (or `embeddings: [[...]]` without embedding_types); the input token count only in the response header
 *     `x-amzn-bedrock-input-token-count`.
 * Text only: token-id inputs are refused before anything is sent (another target of the alias may take them).
 */

export interface EmbedBatch {
  /** The JSON body of one InvokeModel call. */
  readonly body: Record<string, unknown>;
  /** How many inputs (and so vectors) the call carries. */
  readonly size: number;
}

export interface EmbedModel {
  /** The calls for `texts`, in input order. */
  batches(texts: readonly string[]): EmbedBatch[];
  /** One call's vectors (input order) and its token count from the body, if the body has one; throws on a bad shape. */
  parse(body: unknown, size: number): { vectors: number[][]; inputTokens: number | undefined };
}

export const TITAN_V2_DIMENSIONS: readonly number[] = [256, 512, 1024];
export const COHERE_V3_DIMENSIONS = 1024;
export const COHERE_BATCH = 96;

const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((n) => typeof n === 'number');

const refuse = (message: string, code: 'unsupported_parameter' | 'invalid_target_params', param?: string) =>
  new GatewayError({ message, code, ...(param === undefined ? {} : { param }) });

function titanV2(call: EmbedCall, provider: string): EmbedModel {
  const dimensions = call.dimensions ?? call.targetDimensions;
  if (!TITAN_V2_DIMENSIONS.includes(dimensions)) {
    throw call.dimensions === undefined
      ? refuse(
          `Provider ${provider}: ${call.model} answers ${TITAN_V2_DIMENSIONS.join(', ')} dimensions, not the configured ${dimensions}.`,
          'invalid_target_params',
        )
      : refuse(
          `dimensions must be one of ${TITAN_V2_DIMENSIONS.join(', ')} for this model's provider ${provider}.`,
          'unsupported_parameter',
          'dimensions',
        );
  }
  return {
    batches: (texts) => texts.map((inputText) => ({ body: { inputText, dimensions, normalize: true }, size: 1 })),
    parse: (body) => {
      const { embedding, inputTextTokenCount } = body as { embedding?: unknown; inputTextTokenCount?: unknown };
      if (!isVector(embedding)) throw new TypeError('no embedding');
      return {
        vectors: [embedding],
        inputTokens: typeof inputTextTokenCount === 'number' ? inputTextTokenCount : undefined,
      };
    },
  };
}

function cohereV3(call: EmbedCall, provider: string): EmbedModel {
  const dimensions = call.dimensions ?? call.targetDimensions;
  if (dimensions !== COHERE_V3_DIMENSIONS) {
    throw call.dimensions === undefined
      ? refuse(
          `Provider ${provider}: ${call.model} answers ${COHERE_V3_DIMENSIONS} dimensions, not the configured ${dimensions}.`,
          'invalid_target_params',
        )
      : refuse(
          `dimensions must be ${COHERE_V3_DIMENSIONS} for this model's provider ${provider}.`,
          'unsupported_parameter',
          'dimensions',
        );
  }
  return {
    batches: (texts) => {
      const batches: EmbedBatch[] = [];
      for (let start = 0; start < texts.length; start += COHERE_BATCH) {
        const batch = texts.slice(start, start + COHERE_BATCH);
        batches.push({
          body: { texts: batch, input_type: 'search_document', embedding_types: ['float'] },
          size: batch.length,
        });
      }
      return batches;
    },
    parse: (body, size) => {
      const { embeddings } = body as { embeddings?: unknown };
      const vectors: unknown = Array.isArray(embeddings) ? embeddings : (embeddings as { float?: unknown })?.float;
      if (!Array.isArray(vectors) || vectors.length !== size || !vectors.every(isVector)) {
        throw new TypeError('not one embedding per text');
      }
      return { vectors, inputTokens: undefined };
    },
  };
}

/** The model family of a target's model id (or ARN, or inference profile id); undefined when Bedrock's is unknown. */
export function embedModelFor(call: EmbedCall, provider: string): EmbedModel | undefined {
  if (call.model.includes('amazon.titan-embed-text-v2')) return titanV2(call, provider);
  if (/cohere\.embed-(english|multilingual)-v3/.test(call.model)) return cohereV3(call, provider);
  return undefined;
}
