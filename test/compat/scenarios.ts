/**
 * The compatibility matrix (docs/COMPATIBILITY.md): clients (rows) × scenarios × backends (columns).
 *
 * Pure data, no imports: compat-reporter.cjs loads this file too (through tsx) to lay out the table, so the ids
 * here, the test names (`describe('<client id> × <backend>')`, `it('<scenario id>')`, see harness.ts) and the
 * generated document cannot drift apart.
 */

export const SCENARIOS = [
  { id: 'plain', label: 'plain', checks: 'one answer, its text and usage' },
  { id: 'stream', label: 'stream', checks: 'more than one text chunk reaches the client before the end' },
  { id: 'stream-usage', label: 'stream usage', checks: "the client's usage after a stream has the upstream's counts" },
  {
    id: 'tool-loop',
    label: 'tool loop',
    checks: "the client's own multi-turn tool loop (runTools, stopWhen, bindTools + tool.invoke, toolRunner)",
  },
  { id: 'parallel-tools', label: 'parallel tools', checks: 'two tool calls in one turn, both results sent back' },
  {
    id: 'structured',
    label: 'structured output',
    checks: "the client's structured-output helper (parse, generateObject/streamObject, withStructuredOutput)",
  },
  { id: 'image', label: 'image', checks: 'an image input reaches the upstream as an image' },
  {
    id: 'abort',
    label: 'abort',
    checks: "an AbortController mid-stream: the client's abort, and the upstream request closed",
  },
  {
    id: 'typed-errors',
    label: 'typed errors',
    checks: "a gateway 400 and an upstream 429 surface as the client's typed errors with their status",
  },
  {
    id: 'prompt-caching',
    label: 'prompt caching',
    checks: 'prompt_cache_key / cache_control where the client has them; cached tokens from the upstream in usage',
  },
] as const;

export type ScenarioId = (typeof SCENARIOS)[number]['id'];

export const CLIENTS = [
  { id: 'openai-sdk', label: 'openai SDK (`chat.completions`)', format: 'openai' },
  { id: 'openai-sdk-responses', label: 'openai SDK (`responses`: create, stream, parse)', format: 'openai' },
  { id: 'ai-sdk-openai', label: 'AI SDK `@ai-sdk/openai` (`.chat(id)`)', format: 'openai' },
  {
    id: 'ai-sdk-openai-responses',
    label: 'AI SDK `@ai-sdk/openai` default (`openai(id)`: Responses API)',
    format: 'openai',
  },
  { id: 'ai-sdk-openai-compatible', label: 'AI SDK `@ai-sdk/openai-compatible`', format: 'openai' },
  { id: 'langchain-openai', label: 'LangChain `ChatOpenAI`', format: 'openai' },
  {
    id: 'langchain-openai-responses',
    label: 'LangChain `ChatOpenAI({ useResponsesApi: true })`',
    format: 'openai',
  },
  { id: 'anthropic-sdk', label: '`@anthropic-ai/sdk`', format: 'anthropic' },
  { id: 'ai-sdk-anthropic', label: 'AI SDK `@ai-sdk/anthropic`', format: 'anthropic' },
  { id: 'langchain-anthropic', label: 'LangChain `ChatAnthropic`', format: 'anthropic' },
] as const;

export type ClientId = (typeof CLIENTS)[number]['id'];

/**
 * The backends (columns): an alias on an OpenAI target reached through chat completions (`api: "chat"`), the same
 * on OpenAI's Responses API (the native lane of /v1/responses, an OpenAI target's default: only the clients in
 * `clients` speak /v1/responses), and an alias on an Anthropic target. A backend without `clients` serves every client.
 */
export const BACKENDS = [
  { id: 'openai', label: 'OpenAI-backed alias, chat completions lane' },
  {
    id: 'openai-native',
    label: 'OpenAI-backed alias, native Responses lane',
    clients: ['openai-sdk-responses', 'ai-sdk-openai-responses', 'langchain-openai-responses'],
  },
  { id: 'anthropic', label: 'Anthropic-backed alias' },
] as const;

export type BackendId = (typeof BACKENDS)[number]['id'];

/**
 * Cells a client truly cannot express, with the reason the document prints. Keep this rare and honest: each entry
 * has a test (harness.ts `notApplicable`) that demonstrates the reason, and the harness fails a cell listed here
 * whose test does not say n/a (and the reverse).
 */
export const NOT_APPLICABLE: { readonly [C in ClientId]?: { readonly [S in ScenarioId]?: string } } = {};

/**
 * Cells that pass with a documented limitation on one backend: the test asserts the behaviour the note describes (not
 * the ideal one), and the document marks the cell ✅⚠ with the note.
 */
export const LIMITATIONS: {
  readonly [C in ClientId]?: { readonly [B in BackendId]?: { readonly [S in ScenarioId]?: string } };
} = {
  'langchain-anthropic': {
    openai: {
      'stream-usage':
        "LangChain takes a stream's input tokens from `message_start` only; an OpenAI upstream reports its counts at " +
        "the stream's end, so `message_start` carries the gateway's estimate. The exact counts follow in " +
        '`message_delta` (which LangChain reads only for output) and in the ledger; output tokens are exact',
    },
  },
};

/**
 * Rows for setups whose endpoint another issue adds: printed in each table with `cell` in every column, and explained
 * under it; not tested here.
 */
export const FOOTNOTES: readonly { readonly client: string; readonly cell: string; readonly note: string }[] = [];

/**
 * The embeddings table (POST /v1/embeddings): embedding clients (rows) × these scenarios × the embedding backends
 * (columns); cells are `describe('<client id> × <backend>') › it('<scenario id>')` in test/compat/<client id>.test.ts
 * (embeddings-harness.ts), n/a as in the chat table.
 */
export const EMBEDDING_SCENARIOS = [
  { id: 'single', label: 'one input', checks: 'one string: its vector as the upstream made it, and the token usage' },
  { id: 'batch', label: 'batch', checks: 'several strings in one call: their vectors in input order' },
  {
    id: 'base64',
    label: 'base64',
    checks: 'base64 on the wire (the openai SDK asks for it by default) decoded by the client into the same floats',
  },
  {
    id: 'dimensions',
    label: 'dimensions',
    checks: "the client's `dimensions` option: sent upstream, vectors that long",
  },
  {
    id: 'wrong-kind',
    label: 'chat alias refused',
    checks: "a chat alias: the client's typed error with status 400 (`wrong_model_kind`), nothing upstream",
  },
  {
    id: 'typed-errors',
    label: 'typed errors',
    checks: "an upstream 429 surfaces as the client's typed error with its status",
  },
] as const;

export type EmbeddingScenarioId = (typeof EMBEDDING_SCENARIOS)[number]['id'];

export const EMBEDDING_CLIENTS = [
  { id: 'openai-sdk-embeddings', label: 'openai SDK (`embeddings.create`)' },
  { id: 'ai-sdk-embed', label: 'AI SDK `embed` / `embedMany` (`@ai-sdk/openai` `.embedding(id)`)' },
  { id: 'langchain-openai-embeddings', label: 'LangChain `OpenAIEmbeddings`' },
] as const;

export type EmbeddingClientId = (typeof EMBEDDING_CLIENTS)[number]['id'];

export const EMBEDDING_BACKENDS = [
  { id: 'openai', label: 'OpenAI provider' },
  { id: 'openai-compatible', label: 'OpenAI-compatible provider' },
] as const;

export type EmbeddingBackendId = (typeof EMBEDDING_BACKENDS)[number]['id'];

/** As NOT_APPLICABLE, for the embeddings table. */
export const EMBEDDING_NOT_APPLICABLE: {
  readonly [C in EmbeddingClientId]?: { readonly [S in EmbeddingScenarioId]?: string };
} = {
  'ai-sdk-embed': {
    base64:
      '`@ai-sdk/openai` always asks for `encoding_format: "float"` and has no option for base64 (the test shows the ' +
      'float request)',
  },
};
