/**
 * Provider-hosted tools (OpenAI's Responses `web_search`, `file_search`, `code_interpreter`…; Anthropic's server tools
 * `web_search_20250305`, `code_execution_*`, `web_fetch_*`…): the provider runs them itself, so only a target whose
 * provider has them can honour them. The client's format collects them beside the canonical request (which has no
 * place for them); the chat service decides per target (chat/hosted-gate.ts) and hands a target only the ones it runs
 * (`ProviderCall.hosted`).
 */
export type HostedFormat = 'responses' | 'messages';

export interface HostedTool {
  /** The tool's type as the client sent it (`web_search`, `web_search_20250305`…). */
  readonly type: string;
  /** The tool as the client sent it, passed unchanged to a provider that speaks the same format. */
  readonly spec: Readonly<Record<string, unknown>>;
  /**
   * A target without it cannot answer: the client forced it (tool_choice names it), or the format cannot drop it
   * (a Messages server tool). Otherwise it is offered: a target without it drops it and names it.
   */
  readonly required: boolean;
}

export interface HostedTools {
  readonly format: HostedFormat;
  readonly tools: readonly HostedTool[];
  /** The client's tool_choice forces this hosted tool (its type). */
  readonly forced?: string | undefined;
}

/** How a hosted tool is named in an error or in X-Gateway-Ignored. */
export const hostedName = (tool: HostedTool): string => {
  const name = typeof tool.spec.name === 'string' ? tool.spec.name : tool.type;
  return `tools[${name.slice(0, 64)}]`;
};

/** Responses web search tool types an Anthropic target runs as its server tool `web_search_20250305`. */
export const WEB_SEARCH_TYPES: ReadonlySet<string> = new Set([
  'web_search',
  'web_search_2025_08_26',
  'web_search_preview',
  'web_search_preview_2025_03_11',
]);

type Raw = Readonly<Record<string, unknown>>;

/**
 * One run of a hosted tool in an answer: where it stood among the answer's text (`at`: the text's length when it
 * ran), and the provider's own record of it: OpenAI's output item (`web_search_call`, `file_search_call`…, as
 * returned), Anthropic's blocks (`server_tool_use` and its result block, as returned). `query` and `sources`: a web
 * search's, for a format that shows it in its own shape.
 */
export interface HostedCall {
  readonly at: number;
  readonly id: string;
  /** `web_search`, `file_search`, `code_interpreter`… (OpenAI's item type less `_call`; Anthropic's tool name). */
  readonly tool: string;
  readonly openai?: Raw | undefined;
  readonly anthropic?: readonly Raw[] | undefined;
  readonly query?: string | undefined;
  readonly sources?: readonly { readonly url: string; readonly title?: string | undefined }[] | undefined;
}

/**
 * A citation of the answer's text ([start, end) in the whole text, in UTF-16 code units): a URL the model cites,
 * with the provider's own record (Anthropic's `web_search_result_location`, OpenAI's `url_citation` annotation).
 */
export interface Citation {
  readonly start: number;
  readonly end: number;
  readonly url: string;
  readonly title: string;
  readonly anthropic?: Raw | undefined;
  /**
   * OpenAI's `file_citation` annotation as it came (a file_search result cited at one point of the text: start = end =
   * its index; url empty, title its filename), given back as that annotation with its index moved to its message.
   */
  readonly openaiFile?: Raw | undefined;
}
