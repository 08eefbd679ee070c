import { createHash } from 'node:crypto';

/**
 * Namespace tools (`{type: "namespace", name, description, tools}`) on targets without namespaces: each inner tool
 * becomes a canonical tool named `<namespace>__<tool>` — within every provider's tool-name rule (Anthropic:
 * `^[a-zA-Z0-9_-]{1,64}$`). A name that would be longer than 64 characters, or would take the name of a top-level tool,
 * is cut and ends in 8 hex digits of a hash of both names. The name is computed the same way on every turn, so the
 * calls of earlier turns map to the same tool; the answer's call goes back to the client as OpenAI's API returns it:
 * the inner tool's name with a `namespace` field (Codex routes it by both).
 */
export const NAMESPACE_SEPARATOR = '__';
const MAX_TOOL_NAME = 64;
const HASH_DIGITS = 8;

function hashed(namespace: string, name: string): string {
  const digest = createHash('sha256').update(`${namespace}\u0000${name}`).digest('hex').slice(0, HASH_DIGITS);
  const head = `${namespace}${NAMESPACE_SEPARATOR}${name}`.slice(0, MAX_TOOL_NAME - HASH_DIGITS - 1);
  return `${head}_${digest}`;
}

/** The canonical name of `name` in `namespace`, avoiding the names in `taken` (the top-level tools' names). */
export function qualifiedToolName(namespace: string, name: string, taken: ReadonlySet<string>): string {
  const plain = `${namespace}${NAMESPACE_SEPARATOR}${name}`;
  return plain.length <= MAX_TOOL_NAME && !taken.has(plain) ? plain : hashed(namespace, name);
}

/** What the model is told of the namespace a tool belongs to (prefixed to the tool's description). */
export const namespacePreface = (namespace: string, description: string): string =>
  description === '' ? `Part of the "${namespace}" tools.` : `Part of the "${namespace}" tools: ${description}`;
