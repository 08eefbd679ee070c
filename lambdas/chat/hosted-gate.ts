import type { ProviderConfig } from '../config/schema.js';
import { badRequest } from '../core/errors.js';
import { ignoredServerFields } from '../providers/anthropic/server-tools.js';
import { hostedName, WEB_SEARCH_TYPES, type HostedTool, type HostedTools } from '../providers/hosted-tools.js';

/**
 * Which targets run the request's provider-hosted tools (providers/hosted-tools.ts), decided from the provider type:
 * - OpenAI (the Responses API lane: /v1/responses, `api` not `chat`): every Responses hosted tool, unchanged;
 * - Anthropic: a Messages server tool as sent; a Responses web search as its `web_search_20250305`;
 * - every other target (echo, OpenAI-compatible, Azure OpenAI, Bedrock, OpenAI on chat completions): none.
 * A required tool (forced by tool_choice, or a Messages server tool) leaves out the targets without it, like a target
 * that refuses the request: the alias's other targets answer; with none left, a 400 unsupported_tool naming it. An
 * offered tool a target lacks is dropped there and named in X-Gateway-Ignored (Codex offers web_search on every call).
 */
export function runsHosted(provider: ProviderConfig, hosted: HostedTools, tool: HostedTool): boolean {
  switch (provider.type) {
    case 'openai':
      return hosted.format === 'responses' && provider.api !== 'chat';
    case 'anthropic':
      return hosted.format === 'messages' || WEB_SEARCH_TYPES.has(tool.type);
    default:
      return false;
  }
}

interface Target {
  readonly alias: string;
  readonly provider: ProviderConfig;
}

/** The targets that run every required hosted tool; none: a 400 unsupported_tool naming the first one missing. */
export function hostedTargets<T extends Target>(targets: readonly T[], hosted: HostedTools | undefined): T[] {
  const required = hosted?.tools.filter((tool) => tool.required) ?? [];
  if (hosted === undefined || required.length === 0) return [...targets];
  const able = targets.filter((target) => required.every((tool) => runsHosted(target.provider, hosted, tool)));
  if (able.length > 0) return able;
  const missing =
    required.find((tool) => targets.some((target) => !runsHosted(target.provider, hosted, tool))) ?? required[0];
  const alias = targets[0]?.alias ?? '';
  throw badRequest(
    `${missing === undefined ? 'tools' : hostedName(missing)} is a hosted tool the target${targets.length > 1 ? 's' : ''} ` +
      `of alias ${JSON.stringify(alias.slice(0, 64))} do${targets.length > 1 ? '' : 'es'} not run: remove it, or use ` +
      'an alias whose provider runs it (OpenAI on /v1/responses; Anthropic).',
    'unsupported_tool',
    'tools',
  );
}

/** The hosted tools `provider` runs (ProviderCall.hosted); undefined when it runs none. */
export function hostedFor(provider: ProviderConfig, hosted: HostedTools | undefined): HostedTools | undefined {
  if (hosted === undefined) return undefined;
  const tools = hosted.tools.filter((tool) => runsHosted(provider, hosted, tool));
  if (tools.length === 0) return undefined;
  const forced = tools.some((tool) => tool.type === hosted.forced) ? hosted.forced : undefined;
  return { format: hosted.format, tools, ...(forced === undefined ? {} : { forced }) };
}

/** The offered hosted tools `provider` drops, and what it drops of those it runs, as X-Gateway-Ignored names them. */
export function hostedDropped(provider: ProviderConfig, hosted: HostedTools | undefined): string[] {
  if (hosted === undefined) return [];
  const dropped = hosted.tools.filter((tool) => !runsHosted(provider, hosted, tool)).map(hostedName);
  const runs = hostedFor(provider, hosted);
  return provider.type === 'anthropic' && runs !== undefined ? [...dropped, ...ignoredServerFields(runs)] : dropped;
}
