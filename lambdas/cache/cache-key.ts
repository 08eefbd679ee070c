import { createHash } from 'node:crypto';

/** The client API format an entry was made for: an answer is replayed only on the format it was stored from. */
export type CacheFormat = 'chat' | 'messages' | 'responses' | 'embeddings';

/**
 * Request fields that do not change the answer, left out of the key: who asks (`user`, `safety_identifier`), labels
 * (`metadata`), how it is delivered (`stream`, `stream_options`), OpenAI's own storage and prompt-cache hints
 * (`store`, `prompt_cache_key`, `prompt_cache_retention`) and its latency tier (`service_tier`).
 */
export const UNKEYED_FIELDS: readonly string[] = [
  'user',
  'metadata',
  'safety_identifier',
  'stream',
  'stream_options',
  'store',
  'prompt_cache_key',
  'prompt_cache_retention',
  'service_tier',
];

/**
 * JSON with object keys sorted at every depth and undefined left out (as JSON.stringify does), so two requests that
 * differ only in key order or in absent-vs-undefined fields have the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((item: unknown) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The request without the fields that do not change the answer (UNKEYED_FIELDS). */
export function keyedRequest(request: object): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) if (!UNKEYED_FIELDS.includes(name)) kept[name] = value;
  return kept;
}

/** Everything that determines an answer, hashed (README.md, "Response cache", lists it). */
export interface KeyParts {
  readonly format: CacheFormat;
  readonly alias: string;
  /** The alias's targets as configured: provider, model and parameter overrides, in order. */
  readonly targets: readonly { readonly provider: string; readonly model: string; readonly params?: unknown }[];
  /** The canonical request as it goes upstream (after the plan's request policies), all of it: keyedRequest drops. */
  readonly request: object;
  /** The plan's policies, hashed: an answer redacted under other policies is another entry. */
  readonly policyVersion: string;
  /** Anything else the answer depends on (the client's anthropic-beta tokens). */
  readonly extra?: unknown;
}

export const cacheKey = (parts: KeyParts): string =>
  sha256(canonicalJson({ ...parts, request: keyedRequest(parts.request), v: 1 }));

/** The version of a plan's policies: a hash of their configuration (none: "none"). */
export const policyVersion = (policies: unknown): string =>
  policies === undefined ? 'none' : sha256(canonicalJson(policies)).slice(0, 16);
