import type { ChatRequest } from '../api/chat-schemas.js';
import type { NativeResponses } from '../providers/native-responses.js';
import type { ChatProvider } from '../providers/types.js';
import { IGNORED_HEADER } from './answer-headers.js';

/**
 * The answer's X-Gateway-Ignored header: the fields the answering target dropped (its provider's list), the
 * Responses API's own fields (`native`) when the target does not call the Responses API itself, the offered
 * provider-hosted tools it does not run (`hosted`, chat/hosted-gate.ts), and
 * `stream_options.include_obfuscation`, which no target honours here: the gateway writes its own stream, unpadded.
 * No header when nothing was dropped.
 */
export function ignoredHeaders(
  provider: ChatProvider,
  request: ChatRequest,
  model: string,
  native?: NativeResponses,
  hosted: readonly string[] = [],
): Record<string, string> {
  const ignored = [...(provider.ignoredFields?.(request, model, native) ?? []), ...hosted];
  if (native !== undefined && provider.nativeResponses !== true) ignored.push(...native.dropped);
  if (request.stream_options?.include_obfuscation === true) ignored.push('stream_options.include_obfuscation');
  return ignored.length === 0 ? {} : { [IGNORED_HEADER]: ignored.join(',') };
}
