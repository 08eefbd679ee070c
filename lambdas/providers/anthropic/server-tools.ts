import type { ContentBlock, TextCitation } from '@anthropic-ai/sdk/resources/messages';
import type { Citation, HostedCall, HostedTool, HostedTools } from '../hosted-tools.js';
import type { AnthropicParams } from './anthropic-request.js';

/**
 * Anthropic server tools (providers/hosted-tools.ts) both ways:
 * - request: a Messages server tool as the client sent it; a Responses web search as `web_search_20250305`
 *   (`filters.allowed_domains` → allowed_domains, `user_location` as it is, `max_uses` where given;
 *   search_context_size and external_web_access have no equivalent: dropped and named); a forced one as tool_choice;
 * - answer: `server_tool_use` + its result block (web_search_tool_result…) → a hosted call where it stood among the
 *   text (its query, and the results' URLs and titles as sources), text `citations` → citations over the whole text.
 */
type Raw = Record<string, unknown>;

const WEB_SEARCH = { type: 'web_search_20250305', name: 'web_search' } as const;
const DROPPED = ['search_context_size', 'external_web_access'] as const;

function fromResponses(spec: Readonly<Raw>): Raw {
  const filters = spec.filters as { allowed_domains?: unknown } | null | undefined;
  const location = spec.user_location as Raw | null | undefined;
  const place =
    location == null
      ? undefined
      : Object.fromEntries(
          ['city', 'region', 'country', 'timezone'].flatMap((key) =>
            location[key] == null ? [] : [[key, location[key]]],
          ),
        );
  return {
    ...WEB_SEARCH,
    ...(Array.isArray(filters?.allowed_domains) ? { allowed_domains: filters.allowed_domains } : {}),
    ...(place === undefined ? {} : { user_location: { type: 'approximate', ...place } }),
    ...(typeof spec.max_uses === 'number' ? { max_uses: spec.max_uses } : {}),
  };
}

const toolOf = (hosted: HostedTools, tool: HostedTool): Raw =>
  hosted.format === 'messages' ? { ...tool.spec } : fromResponses(tool.spec);

/** A Responses web search's fields an Anthropic target drops, as X-Gateway-Ignored names them. */
export const ignoredServerFields = (hosted: HostedTools): string[] =>
  hosted.format === 'messages'
    ? []
    : hosted.tools
        .flatMap((tool) => DROPPED.filter((field) => tool.spec[field] != null))
        .map((f) => `tools[web_search].${f}`);

/** The params with the target's server tools after the client's tools, and tool_choice forcing one if asked. */
export function withServerTools(params: AnthropicParams, hosted: HostedTools | undefined): AnthropicParams {
  if (hosted === undefined || hosted.tools.length === 0) return params;
  const tools = hosted.tools.map((tool) => toolOf(hosted, tool));
  const forced = hosted.tools.find((tool) => tool.type === hosted.forced);
  const name = forced === undefined ? undefined : String(toolOf(hosted, forced).name);
  const parallel = params.tool_choice !== undefined && 'disable_parallel_tool_use' in params.tool_choice;
  return {
    ...params,
    tools: [...(params.tools ?? []), ...(tools as unknown as NonNullable<AnthropicParams['tools']>)],
    ...(name === undefined
      ? {}
      : { tool_choice: { type: 'tool', name, ...(parallel ? { disable_parallel_tool_use: true } : {}) } }),
  };
}

/** A server tool's run: its use block, and its result block once there. */
export function hostedCallOf(use: Raw, result: Raw | undefined, at: number): HostedCall {
  const input = (use.input ?? {}) as Raw;
  const results = Array.isArray(result?.content) ? (result.content as Raw[]) : [];
  const sources = results.flatMap((entry) =>
    typeof entry.url === 'string'
      ? [{ url: entry.url, ...(typeof entry.title === 'string' ? { title: entry.title } : {}) }]
      : [],
  );
  return {
    at,
    id: String(use.id),
    tool: String(use.name),
    anthropic: result === undefined ? [use] : [use, result],
    ...(typeof input.query === 'string' ? { query: input.query } : {}),
    ...(sources.length === 0 ? {} : { sources }),
  };
}

/** A text block's citations ([start, end) its place in the whole text) that cite a URL. */
export function citationsOf(
  citations: readonly TextCitation[] | null | undefined,
  start: number,
  end: number,
): Citation[] {
  return (citations ?? []).flatMap((note) => {
    const raw = note as unknown as Raw;
    if (typeof raw.url !== 'string') return [];
    return [{ start, end, url: raw.url, title: typeof raw.title === 'string' ? raw.title : '', anthropic: raw }];
  });
}

export const isServerToolUse = (block: ContentBlock): boolean => block.type === 'server_tool_use';
export const isServerToolResult = (block: ContentBlock): boolean =>
  block.type.endsWith('_tool_result') && 'tool_use_id' in block;
