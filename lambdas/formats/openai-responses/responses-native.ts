import type { ResponsesRequest } from '../../api/responses-schemas.js';
import { HOSTED_CALL_ITEMS } from '../../api/hosted-call-items.js';
import type { NativeResponses, ReplayedItem } from '../../providers/native-responses.js';

/**
 * A /v1/responses request's own fields that an OpenAI target honours natively (the Responses API lane) but the
 * canonical request cannot carry: `include` (reasoning.encrypted_content, and the hosted tools' results and sources),
 * `reasoning.summary` and `truncation`; the hosted tools' earlier items the client replays (web_search_call…: an OpenAI
 * target sends them back as they came, others drop them, named input[].<type>).
 * The names the format gave them among its dropped fields leave the format's list: the chat service names them per
 * answering target, only when that target drops them (chat/ignored-fields.ts).
 */
const INCLUDED = [
  'reasoning.encrypted_content',
  'web_search_call.results',
  'file_search_call.results',
  'code_interpreter_call.outputs',
] as const;
const HONOURED = new Set([
  ...INCLUDED.map((value) => `include[${value}]`),
  ...HOSTED_CALL_ITEMS.map((type) => `input[].${type}`),
  'reasoning.summary',
  'truncation',
]);

export function nativeOf(
  request: ResponsesRequest,
  ignored: readonly string[],
  replayed: readonly ReplayedItem[] = [],
): { readonly native: NativeResponses; readonly ignored: string[] } {
  // web_search_call.action.sources too: the hosted web search's sources (OpenAI and Anthropic targets show them).
  const include = (request.include ?? []).filter(
    (value) => (INCLUDED as readonly string[]).includes(value) || value === 'web_search_call.action.sources',
  );
  const summary = request.reasoning?.summary ?? request.reasoning?.generate_summary;
  const native: NativeResponses = {
    ...(include.length === 0 ? {} : { include }),
    ...(summary == null ? {} : { reasoningSummary: summary }),
    ...(request.truncation == null ? {} : { truncation: request.truncation }),
    ...(replayed.length === 0 ? {} : { replayed }),
    dropped: ignored.filter((name) => HONOURED.has(name)),
  };
  return { native, ignored: ignored.filter((name) => !HONOURED.has(name)) };
}
