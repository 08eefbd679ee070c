import type { ResponsesRequest } from '../../api/responses-schemas.js';
import type { NativeResponses } from '../../providers/native-responses.js';

/**
 * A /v1/responses request's own fields that an OpenAI target honours natively (the Responses API lane) but the
 * canonical request cannot carry: `include: ["reasoning.encrypted_content"]`, `reasoning.summary` and `truncation`.
 * The names the format gave them among its dropped fields leave the format's list: the chat service names them per
 * answering target, only when that target drops them (chat/ignored-fields.ts).
 */
const HONOURED = new Set(['include[reasoning.encrypted_content]', 'reasoning.summary', 'truncation']);

export function nativeOf(
  request: ResponsesRequest,
  ignored: readonly string[],
): { readonly native: NativeResponses; readonly ignored: string[] } {
  const encrypted = request.include?.includes('reasoning.encrypted_content') === true;
  const summary = request.reasoning?.summary ?? request.reasoning?.generate_summary;
  const native: NativeResponses = {
    ...(encrypted ? { include: ['reasoning.encrypted_content'] } : {}),
    ...(summary == null ? {} : { reasoningSummary: summary }),
    ...(request.truncation == null ? {} : { truncation: request.truncation }),
    dropped: ignored.filter((name) => HONOURED.has(name)),
  };
  return { native, ignored: ignored.filter((name) => !HONOURED.has(name)) };
}
