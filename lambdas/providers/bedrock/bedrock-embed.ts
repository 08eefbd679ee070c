import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { GatewayError } from '../../core/errors.js';
import type { EmbedCall, EmbedResult } from '../embedding-types.js';
import { answerOf, isAbort } from '../upstream-error.js';
import { bedrockError } from './bedrock-error.js';
import { embedModelFor, type EmbedBatch, type EmbedModel } from './bedrock-embed-models.js';

/** The Bedrock target an embeddings call goes to: its provider's name (for errors) and the per-call timeout. */
export interface BedrockEmbedTarget {
  readonly provider: string;
  readonly timeoutMs: number;
}

/** At most this many InvokeModel calls of one request at once (Titan takes one text per call). */
export const EMBED_CONCURRENCY = 8;

/** The response header in which Bedrock reports an InvokeModel call's input tokens (Cohere's only count). */
export const INPUT_TOKENS_HEADER = 'x-amzn-bedrock-input-token-count';

interface BatchAnswer {
  readonly vectors: number[][];
  readonly inputTokens: number | undefined;
}

/** One InvokeModel call: the parsed body, and the input token count of the body or else of the response header. */
async function invoke(
  client: BedrockRuntimeClient,
  call: EmbedCall,
  model: EmbedModel,
  batch: EmbedBatch,
  options: { abortSignal: AbortSignal; requestTimeout: number },
  provider: string,
): Promise<BatchAnswer> {
  const command = new InvokeModelCommand({
    modelId: call.model,
    contentType: 'application/json',
    accept: 'application/json',
    body: JSON.stringify(batch.body),
  });
  let headerTokens: number | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string | undefined> }).headers;
      const value = Number(headers?.[INPUT_TOKENS_HEADER]);
      headerTokens = Number.isInteger(value) && value >= 0 ? value : undefined;
      return result;
    },
    { step: 'deserialize', name: 'gatewayInputTokenCount' },
  );
  const response = await client.send(command, options);
  return answerOf(
    response.body,
    (body) => {
      const parsed = model.parse(JSON.parse(body.transformToString()) as unknown, batch.size);
      return { vectors: parsed.vectors, inputTokens: parsed.inputTokens ?? headerTokens };
    },
    provider,
  );
}

/**
 * Runs `tasks` at most `limit` at a time, results in task order. The first failure aborts the others (through
 * `controller`) and is what the run throws; the aborts it causes are not.
 */
async function limited<T>(tasks: readonly (() => Promise<T>)[], limit: number, controller: AbortController) {
  const results = new Array<T>(tasks.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const index = next++;
      try {
        results[index] = await (tasks[index] as () => Promise<T>)();
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/**
 * Embeddings on Bedrock through InvokeModel (bedrock-embed-models.ts): Titan one text per call, Cohere up to 96 per
 * call, at most EMBED_CONCURRENCY calls at once; vectors in input order; the input tokens summed over the calls
 * (undefined when a call reported none: metering then estimates). Errors map through bedrock-error.ts (the same mapping as chat); an
 * abort of `call.signal` is rethrown as it is.
 */
export async function embedOnBedrock(
  client: BedrockRuntimeClient,
  call: EmbedCall,
  target: BedrockEmbedTarget,
): Promise<EmbedResult> {
  const { provider } = target;
  const model = embedModelFor(call, provider);
  if (model === undefined) {
    throw new GatewayError({
      message: `Provider ${provider}: ${call.model} is not an embedding model the gateway speaks to on Bedrock (Amazon Titan Text Embeddings v2, Cohere Embed v3).`,
      code: 'embeddings_unsupported',
    });
  }
  const texts = call.input.filter((input) => typeof input === 'string');
  if (texts.length !== call.input.length) {
    throw new GatewayError({
      message: `Provider ${provider} embeds text only, not token ids.`,
      code: 'unsupported_content',
      param: 'input',
    });
  }
  // As for Converse (bedrock-provider.ts): not connectMs, but requestTimeout and the deadline bound the call.
  call.onConnectionOpen?.();
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  call.signal.addEventListener('abort', abort, { once: true });
  if (call.signal.aborted) controller.abort();
  const options = { abortSignal: controller.signal, requestTimeout: target.timeoutMs };
  try {
    const answers = await limited(
      model.batches(texts).map((batch) => () => invoke(client, call, model, batch, options, provider)),
      EMBED_CONCURRENCY,
      controller,
    );
    const counts = answers.map((answer) => answer.inputTokens);
    return {
      vectors: answers.flatMap((answer) => answer.vectors),
      inputTokens: counts.every((count) => count !== undefined) ? counts.reduce((sum, n) => sum + n, 0) : undefined,
    };
  } catch (err) {
    if (call.signal.aborted || isAbort(err)) throw err;
    throw bedrockError(err, provider);
  } finally {
    call.signal.removeEventListener('abort', abort);
  }
}
