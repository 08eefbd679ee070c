/**
 * The API version the translation is written for. @anthropic-ai/sdk 1.14 describes (and sends) this version: it has
 * no temperature/top_p/top_k and takes structured output as `output_config.format`. Sent explicitly so an SDK upgrade
 * cannot move the wire format under the translation. Here, apart from the SDK's client, so that what reads it does
 * not load the client.
 */
export const ANTHROPIC_VERSION = '2026-10-21';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
