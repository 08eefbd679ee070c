import { GatewayError } from '../core/errors.js';

/**
 * A prompt a provider's content filter blocked: Azure OpenAI answers HTTP 400 with `error.code: "content_filter"`
 * and `innererror.content_filter_result` naming the categories (`{ hate: { filtered, severity }, jailbreak:
 * { detected, filtered }, … }`; e.g. github.com/openai/openai-agents-python/issues/806). The gateway answers a 400
 * `content_filtered` naming the filtered categories — never a 5xx, never retried, and not failed over: a prompt a
 * configured content filter refused is not sent elsewhere to get around it (README "Azure OpenAI"). Undefined for any
 * other error. `body` is the SDK error's `error` (the body's `error` object).
 */
export function contentFilterError(status: number, body: unknown, provider: string): GatewayError | undefined {
  if (status !== 400 || typeof body !== 'object' || body === null) return undefined;
  const { code, innererror } = body as { code?: unknown; innererror?: { content_filter_result?: unknown } };
  if (code !== 'content_filter') return undefined;
  const result = innererror?.content_filter_result;
  const categories =
    typeof result === 'object' && result !== null
      ? Object.entries(result)
          .filter(([, verdict]) => (verdict as { filtered?: unknown } | null)?.filtered === true)
          .map(([category]) => category)
      : [];
  const named = categories.length === 0 ? '' : ` (${categories.join(', ')})`;
  return new GatewayError({
    message: `The prompt was blocked by provider ${provider}'s content filter${named}; change the prompt.`,
    code: 'content_filtered',
  });
}
