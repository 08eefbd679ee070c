import type { ChatRequest } from './chat-schemas.js';

/**
 * A zod-free check of the plain chat completion bodies most requests are: a model, text messages of system,
 * developer, user or assistant, and a few numeric and flag fields. It answers only when it is sure: the body as it is
 * when chat-schemas.ts's chatRequestSchema would accept it unchanged (that schema has no defaults or transforms, so
 * its output equals such a body), undefined for anything else — which the schema then judges, with its own message.
 * The first chat request of an instance then neither evaluates zod nor builds the chat schemas, and every request of
 * this shape skips zod's parse (test/api/chat-fast-check.test.ts holds it to the schema's verdicts).
 */
const FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'user',
  'frequency_penalty',
  'presence_penalty',
  'n',
]);
const ROLES = new Set(['system', 'developer', 'user', 'assistant']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const inRange = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

const positiveInt = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) > 0;

/** A message of a role and string content, nothing else. */
function plainMessage(message: unknown): boolean {
  if (!isRecord(message)) return false;
  for (const key of Object.keys(message)) if (key !== 'role' && key !== 'content') return false;
  return typeof message.role === 'string' && ROLES.has(message.role) && typeof message.content === 'string';
}

/** `stream_options` of known flags, only with `stream: true` (the schema's rule). */
function plainStreamOptions(options: unknown, stream: unknown): boolean {
  if (!isRecord(options) || stream !== true) return false;
  for (const [key, value] of Object.entries(options))
    if ((key !== 'include_usage' && key !== 'include_obfuscation') || typeof value !== 'boolean') return false;
  return true;
}

function plainField(key: string, value: unknown, body: Record<string, unknown>): boolean {
  switch (key) {
    case 'model':
      return typeof value === 'string' && value.length >= 1 && value.length <= 64;
    case 'messages':
      return Array.isArray(value) && value.length >= 1 && value.every(plainMessage);
    case 'stream':
      return typeof value === 'boolean';
    case 'stream_options':
      return plainStreamOptions(value, body.stream);
    case 'temperature':
      return inRange(value, 0, 2);
    case 'top_p':
      return inRange(value, 0, 1);
    case 'max_tokens':
    case 'max_completion_tokens':
      return positiveInt(value);
    case 'frequency_penalty':
    case 'presence_penalty':
      return inRange(value, -2, 2);
    case 'n':
      return value === 1;
    case 'user':
      return typeof value === 'string' && value.length <= 512;
    default:
      return false;
  }
}

/** `body` as the parsed chat request when it is a plain one the schema accepts as it is; otherwise undefined. */
export function plainChatRequest(body: unknown): ChatRequest | undefined {
  if (!isRecord(body) || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  if (!('model' in body) || !('messages' in body)) return undefined;
  for (const [key, value] of Object.entries(body))
    if (!FIELDS.has(key) || !plainField(key, value, body)) return undefined;
  return body as ChatRequest;
}
