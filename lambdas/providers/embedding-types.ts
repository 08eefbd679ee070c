/** One input of an embeddings request: text, or token ids. */
export type EmbeddingInput = string | readonly number[];

/** One embeddings call of a provider: the inputs (one vector each) for the target's upstream model. */
export interface EmbedCall {
  readonly input: readonly EmbeddingInput[];
  /** The upstream model name (the target's `model`). */
  readonly model: string;
  /** The client's `dimensions`, when it asked for shorter vectors. */
  readonly dimensions: number | undefined;
  /** The target's configured vector length (what it answers when `dimensions` is not asked). */
  readonly targetDimensions: number;
  /** How the upstream is asked to encode the vectors. */
  readonly encodingFormat: 'float' | 'base64';
  readonly user: string | undefined;
  /** Sent upstream as X-Request-Id. */
  readonly requestId: string;
  /** Aborted when the client goes away, the deadline passes or the router gives up on the try. */
  readonly signal: AbortSignal;
  /** Told when the upstream connection is open (as ProviderCall.onConnectionOpen). */
  readonly onConnectionOpen?: (() => void) | undefined;
  /** Bedrock targets: the target's own region (else the provider's); ignored by the others. */
  readonly region?: string | undefined;
}

/** A vector as the upstream sent it: floats, or base64 of little-endian float32. */
export type Vector = readonly number[] | string;

export interface EmbedResult {
  /** One per input, in input order. */
  readonly vectors: readonly Vector[];
  /** The provider's input token count; undefined when it reported none (metering then estimates it). */
  readonly inputTokens: number | undefined;
}
