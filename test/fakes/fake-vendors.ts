/**
 * The OpenAI-compatible vendors of the presets, as fake-openai's `defaultReply`: the request's `model` names the
 * vendor (`gemini-…`, `groq-…`, `mistral-…`, `deepseek-…`, `together-…`, `vllm-…`, `ollama-…`), and the answer is
 * what that vendor does with it (sources in lambdas/providers/openai/vendor-quirks.ts):
 *  - gemini: an unknown field (seed, frequency_penalty, presence_penalty here) → 400 with Google's body, a JSON
 *    array of `{ error: { code, message, status } }`.
 *  - groq: logprobs, logit_bias, top_logprobs or a message's name → 400; a stream's usage only as `x_groq.usage`
 *    on its last chunk.
 *  - mistral: any field outside its schema (top level or in a message) → 422 `extra_forbidden` with its body (an
 *    object `message`); a stream's usage on its finish chunk, no stream_options.
 *  - deepseek: usage with prompt_cache_hit_tokens / prompt_cache_miss_tokens, no prompt_tokens_details.
 *  - vllm: usage with `prompt_tokens_details: null`; a stream's usage only with stream_options.include_usage.
 *  - together, ollama: as OpenAI (Ollama ignores what it does not know).
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { reply, textChunks, textCompletion, type RecordedRequest, type Script } from './fake-openai.js';

type Body = Record<string, unknown> & { model?: unknown; stream?: unknown; messages?: Record<string, unknown>[] };

export const VENDOR_USAGE = { prompt: 1_000, completion: 50, cached: 600 };

const plainUsage = {
  prompt_tokens: VENDOR_USAGE.prompt,
  completion_tokens: VENDOR_USAGE.completion,
  total_tokens: 1_050,
};

const geminiError = (field: string): Script =>
  reply.json(
    [
      {
        error: {
          code: 400,
          message: `Invalid JSON payload received. Unknown name "${field}": Cannot find field.`,
          status: 'INVALID_ARGUMENT',
        },
      },
    ],
    { status: 400 },
  );

const MISTRAL_FIELDS = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'stream',
  'stop',
  'random_seed',
  'response_format',
  'tools',
  'tool_choice',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'prediction',
  'parallel_tool_calls',
  'safe_prompt',
]);
const MISTRAL_MESSAGE_FIELDS = new Set(['role', 'content', 'tool_calls', 'tool_call_id', 'prefix']);

const mistralError = (loc: (string | number)[], input: unknown): Script =>
  reply.json(
    {
      object: 'error',
      message: {
        detail: [{ type: 'extra_forbidden', loc: ['body', ...loc], msg: 'Extra inputs are not permitted', input }],
      },
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
    { status: 422 },
  );

function answer(body: Body, usage: object, streamUsage: 'chunk' | 'finish' | 'x_groq' | 'none'): Script {
  const text = 'vendor answer';
  if (body.stream !== true) return reply.json({ ...textCompletion(text), usage });
  const chunks: ChatCompletionChunk[] = textChunks(text, { parts: 2 });
  const last = chunks.at(-1) as ChatCompletionChunk;
  if (streamUsage === 'finish') chunks[chunks.length - 1] = { ...last, usage } as ChatCompletionChunk;
  if (streamUsage === 'x_groq')
    chunks[chunks.length - 1] = { ...last, x_groq: { id: 'req_1', usage } } as ChatCompletionChunk;
  // 'chunk': fake-openai adds the usage chunk when the request asked for it (stream_options.include_usage).
  return reply.stream(chunks, { usage: usage as never });
}

export function vendorReply(request: RecordedRequest): Script {
  const body = (request.body ?? {}) as Body;
  const vendor = String(body.model).split('-')[0];
  const messages = body.messages ?? [];
  switch (vendor) {
    case 'gemini': {
      const unknown = ['seed', 'frequency_penalty', 'presence_penalty'].find((field) => field in body);
      return unknown === undefined ? answer(body, plainUsage, 'chunk') : geminiError(unknown);
    }
    case 'groq': {
      const refused = ['logprobs', 'logit_bias', 'top_logprobs'].find((field) => field in body);
      if (refused !== undefined)
        return reply.error(400, { message: `'${refused}' : is not supported with this model` });
      const named = messages.findIndex((message) => 'name' in message);
      if (named >= 0) return reply.error(400, { message: `'messages.${named}' : property 'name' is unsupported` });
      return answer(body, plainUsage, 'x_groq');
    }
    case 'mistral': {
      const extra = Object.keys(body).find((field) => !MISTRAL_FIELDS.has(field));
      if (extra !== undefined) return mistralError([extra], body[extra]);
      for (const [index, message] of messages.entries()) {
        const field = Object.keys(message).find((key) => !MISTRAL_MESSAGE_FIELDS.has(key));
        if (field !== undefined) return mistralError(['messages', index, String(message.role), field], message[field]);
      }
      return answer(body, plainUsage, 'finish');
    }
    case 'deepseek':
      return answer(
        body,
        { ...plainUsage, prompt_cache_hit_tokens: VENDOR_USAGE.cached, prompt_cache_miss_tokens: 400 },
        'chunk',
      );
    case 'vllm':
      return answer(body, { ...plainUsage, prompt_tokens_details: null }, 'chunk');
    default:
      return answer(body, plainUsage, 'chunk');
  }
}
