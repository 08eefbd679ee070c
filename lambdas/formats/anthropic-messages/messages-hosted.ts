import type { ContentBlock, ServerToolUsage, TextBlock } from '@anthropic-ai/sdk/resources/messages';
import type { MessagesRequest } from '../../api/messages-schemas.js';
import type { Citation, HostedCall, HostedTools } from '../../providers/hosted-tools.js';
import type { ChatResult, Usage } from '../../providers/types.js';

/**
 * Server tools on /v1/messages (web_search_*, code_execution_*, web_fetch_*…): required — a target without them
 * cannot answer the request as asked (chat/hosted-gate.ts: Anthropic targets run them as sent, the others are left
 * out, none left is a 400 unsupported_tool); a tool_choice naming one forces it. Their blocks come back as Anthropic
 * returned them: `server_tool_use` and its result block where the tool ran amid the text, and the text split into
 * blocks at each run and each citation, a cited block with its `citations`.
 */
type Tool = NonNullable<MessagesRequest['tools']>[number];

export const isServerTool = (tool: Tool): boolean => tool.type !== undefined && tool.type !== 'custom';

export function hostedOfMessages(request: Pick<MessagesRequest, 'tools' | 'tool_choice'>): HostedTools | undefined {
  const tools = (request.tools ?? []).filter(isServerTool);
  if (tools.length === 0) return undefined;
  const choice = request.tool_choice;
  const forced = choice?.type === 'tool' ? tools.find((tool) => tool.name === choice.name) : undefined;
  return {
    format: 'messages',
    tools: tools.map((tool) => ({
      type: String(tool.type),
      spec: tool as Readonly<Record<string, unknown>>,
      required: true,
    })),
    ...(forced === undefined ? {} : { forced: String(forced.type) }),
  };
}

/** Whether tool_choice names a server tool (then the canonical request carries no tool_choice). */
export const choosesServerTool = (request: Pick<MessagesRequest, 'tools' | 'tool_choice'>): boolean =>
  hostedOfMessages(request)?.forced !== undefined;

const cited = (text: string, citations: readonly Citation[]): TextBlock =>
  ({
    type: 'text',
    text,
    ...(citations.length === 0 ? {} : { citations: citations.map((note) => note.anthropic ?? webCitation(note)) }),
  }) as TextBlock;

const webCitation = (note: Citation) => ({
  type: 'web_search_result_location',
  url: note.url,
  title: note.title,
  cited_text: '',
  encrypted_index: '',
});

/**
 * The answer's text as text blocks around its hosted tool runs (their blocks between): split at each run and at each
 * citation's bounds; a block that is exactly a citation's range carries it.
 */
export function hostedTextBlocks(result: Pick<ChatResult, 'content' | 'hosted' | 'citations'>): ContentBlock[] {
  const text = result.content ?? '';
  const hosted: readonly HostedCall[] = result.hosted ?? [];
  const citations = result.citations ?? [];
  const cuts = new Set([
    0,
    text.length,
    ...hosted.map((call) => call.at),
    ...citations.flatMap((n) => [n.start, n.end]),
  ]);
  const bounds = [...cuts].filter((at) => at >= 0 && at <= text.length).sort((a, b) => a - b);
  const blocks: ContentBlock[] = [];
  const runsAt = (at: number): void => {
    for (const call of hosted)
      if (call.at === at) blocks.push(...((call.anthropic ?? []) as unknown as ContentBlock[]));
  };
  bounds.forEach((start, i) => {
    runsAt(start);
    const end = bounds[i + 1];
    if (end === undefined || end === start) return;
    const notes = citations.filter((note) => note.start === start && note.end === end);
    blocks.push(cited(text.slice(start, end), notes));
  });
  for (const call of hosted)
    if (call.at > text.length) blocks.push(...((call.anthropic ?? []) as unknown as ContentBlock[]));
  return blocks;
}

/** usage.server_tool_use: the web searches a hosted tool ran; null when none. */
export const serverToolUsage = (usage: Usage): ServerToolUsage | null =>
  usage.webSearches === undefined ? null : { web_search_requests: usage.webSearches, web_fetch_requests: 0 };
