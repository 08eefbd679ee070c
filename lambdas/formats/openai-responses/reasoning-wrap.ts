import { badRequest } from '../../core/errors.js';

/**
 * The gateway's own `encrypted_content` for a reasoning item that is not OpenAI's: an Anthropic `thinking` block (its
 * signature included) or `redacted_thinking` block, carried whole so a later turn gives the target back exactly what
 * it sent. Self-describing: `gwr1.` then the block's JSON in base64url. It is opaque to clients, not secret (the
 * client could ask for the same blocks on the other formats); anything else in `encrypted_content` is OpenAI's.
 */
export type WrappedBlock =
  | { readonly type: 'thinking'; readonly thinking: string; readonly signature: string }
  | { readonly type: 'redacted_thinking'; readonly data: string };

const PREFIX = 'gwr1.';

/** Exactly a block wrapReasoning makes: its type and its fields, nothing else (checked without zod: no zod at init). */
function isWrappedBlock(value: unknown): value is WrappedBlock {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields).sort().join(',');
  if (fields.type === 'thinking')
    return keys === 'signature,thinking,type' && typeof fields.thinking === 'string' && nonEmpty(fields.signature);
  return fields.type === 'redacted_thinking' && keys === 'data,type' && nonEmpty(fields.data);
}

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

export const wrapReasoning = (block: WrappedBlock): string =>
  PREFIX + Buffer.from(JSON.stringify(block), 'utf8').toString('base64url');

export const isWrapped = (content: string): boolean => content.startsWith(PREFIX);

/** The block a gateway-wrapped `encrypted_content` carries; a 400 when it is not one the gateway could have made. */
export function unwrapReasoning(content: string, param: string): WrappedBlock {
  const invalid = () =>
    badRequest(
      'The encrypted content of this reasoning item could not be read: send the item back as the gateway gave it.',
      'invalid_encrypted_content',
      param,
    );
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(content.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isWrappedBlock(json)) throw invalid();
  return json;
}
