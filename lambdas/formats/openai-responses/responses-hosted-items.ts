import type {
  ResponseFunctionWebSearch,
  ResponseOutputItem,
  ResponseOutputText,
} from 'openai/resources/responses/responses';
import type { Citation, HostedCall } from '../../providers/hosted-tools.js';

/**
 * Provider-hosted tool runs as Responses output items, and citations as `output_text` annotations:
 * - an OpenAI target's item (web_search_call, file_search_call, code_interpreter_call…) as it came;
 * - another target's web search (Anthropic's server_tool_use + web_search_tool_result) as a `web_search_call` with a
 *   `search` action: its query, and its sources only when the request's include asks (`web_search_call.action.sources`);
 * - a citation as a `url_citation` annotation (an OpenAI `file_citation` as one), its indexes within its message's text
 *   (`base`: where that text starts in the answer's).
 * Streamed, a hosted item is output_item.added, its own progress events (`response.<type>.in_progress`, then
 * `.searching` for a search, `.completed`) and output_item.done.
 */
export type HostedOutputItem = Exclude<
  ResponseOutputItem,
  { type: 'message' | 'function_call' | 'custom_tool_call' | 'reasoning' }
>;

export function hostedItem(call: HostedCall, id: string, sources: boolean): HostedOutputItem {
  if (call.openai !== undefined) return call.openai as unknown as HostedOutputItem;
  const found = sources ? (call.sources ?? []) : [];
  const action: ResponseFunctionWebSearch.Search = {
    type: 'search',
    query: call.query ?? '',
    ...(found.length === 0 ? {} : { sources: found.map((source) => ({ type: 'url' as const, url: source.url })) }),
  };
  return { type: 'web_search_call', id, status: 'completed', action };
}

/** A citation as its output_text annotation, its indexes within its message's text (`base`: where that starts). */
export function annotationOf(
  citation: Citation,
  base: number,
): ResponseOutputText.URLCitation | ResponseOutputText.FileCitation {
  if (citation.openaiFile !== undefined) {
    const { file_id: fileId } = citation.openaiFile;
    return {
      type: 'file_citation',
      file_id: typeof fileId === 'string' ? fileId : '',
      filename: citation.title,
      index: citation.start - base,
    };
  }
  return {
    type: 'url_citation',
    start_index: citation.start - base,
    end_index: citation.end - base,
    url: citation.url,
    title: citation.title,
  };
}

/** Whether the request's include asks for a web search's sources. */
export const revealsSources = (include: readonly string[] | null | undefined): boolean =>
  include?.includes('web_search_call.action.sources') ?? false;

/** The progress events of a hosted item between its output_item.added and .done, by its type. */
export function hostedProgress(item: HostedOutputItem): string[] {
  const kind = item.type;
  if (!kind.endsWith('_call')) return [];
  const middle =
    kind === 'web_search_call' || kind === 'file_search_call'
      ? ['searching']
      : kind === 'code_interpreter_call'
        ? ['interpreting']
        : kind === 'image_generation_call'
          ? ['generating']
          : [];
  return ['in_progress', ...middle, 'completed'].map((step) => `response.${kind}.${step}`);
}
