import { n, readNumber, readString, requireString, s, type Item } from '../store/attributes.js';

/** A stored non-stream response, replayed as is to a retry. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type BeginOutcome =
  | { readonly kind: 'new' }
  | ({ readonly kind: 'replay'; readonly requestId: string } & StoredResponse)
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'other_route'; readonly route: string }
  | { readonly kind: 'stream_used' };

/**
 * One idempotency key of one tenant, in the gateway table:
 *   pk  IDEM#<tenant>#<sha256 hex of the client's key>   sk  IDEM
 *   bodyHash   sha256 hex of the canonical request body
 *   route      the route the key was first used on ("POST /v1/chat/completions"); a key is scoped to it (absent on
 *              records stored before the scope: they match any route)
 *   state      'in_flight' (claimed) | 'done'
 *   leaseUntil ISO time after which an in-flight claim counts as abandoned (crashed Lambda) and may be taken over
 *   requestId  the request holding (or having completed) the claim
 *   result     when done: 'response' (status, headers as JSON text, body stored) | 'stream' (nothing stored)
 *   expiresAt  the table's TTL, epoch seconds; an item past it is treated as absent (TTL deletion is best effort)
 */
export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly route?: string;
  readonly state: 'in_flight' | 'done';
  readonly leaseUntil: string;
  readonly requestId: string;
  readonly expiresAt: number;
  /** Only when done: the response, or 'stream' for a streamed one. */
  readonly result?: StoredResponse | 'stream';
}

export const SK = 'IDEM';

export const isExpired = (record: IdempotencyRecord, at: number): boolean => record.expiresAt <= Math.floor(at / 1000);

const sameRoute = (record: IdempotencyRecord, route: string): boolean =>
  record.route === undefined || record.route === route;

/** Mirrors the claim's condition expression: absent, expired, or an abandoned claim on the same route and body. */
export const isClaimable = (record: IdempotencyRecord, bodyHash: string, at: number, route: string): boolean =>
  isExpired(record, at) ||
  (record.state === 'in_flight' &&
    Date.parse(record.leaseUntil) <= at &&
    record.bodyHash === bodyHash &&
    sameRoute(record, route));

/** What a request meeting an unclaimable record gets (another route first: the key is that route's). */
export function classify(record: IdempotencyRecord, bodyHash: string, route: string): BeginOutcome {
  if (!sameRoute(record, route)) return { kind: 'other_route', route: record.route ?? '' };
  if (record.bodyHash !== bodyHash) return { kind: 'mismatch' };
  if (record.state === 'in_flight' || record.result === undefined) return { kind: 'in_flight' };
  if (record.result === 'stream') return { kind: 'stream_used' };
  return { kind: 'replay', requestId: record.requestId, ...record.result };
}

export function claimItem(
  pk: string,
  claim: { bodyHash: string; route: string; requestId: string; leaseUntil: string; expiresAt: number },
): Item {
  return {
    pk: s(pk),
    sk: s(SK),
    bodyHash: s(claim.bodyHash),
    route: s(claim.route),
    state: s('in_flight'),
    leaseUntil: s(claim.leaseUntil),
    requestId: s(claim.requestId),
    expiresAt: n(claim.expiresAt),
  };
}

function parseHeaders(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('stored headers are not an object');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') headers[name] = value;
  return headers;
}

function readResult(item: Item): StoredResponse | 'stream' | undefined {
  const result = readString(item, 'result');
  if (result === 'stream') return 'stream';
  if (result !== 'response') return undefined;
  const status = readNumber(item, 'status');
  if (status === undefined) throw new Error('stored idempotency response lacks status');
  return { status, headers: parseHeaders(requireString(item, 'headers')), body: requireString(item, 'body') };
}

export function fromItem(item: Item): IdempotencyRecord {
  const state = requireString(item, 'state');
  if (state !== 'in_flight' && state !== 'done') throw new Error('stored idempotency item has an unknown state');
  const expiresAt = readNumber(item, 'expiresAt');
  if (expiresAt === undefined) throw new Error('stored idempotency item lacks expiresAt');
  const result = readResult(item);
  const route = readString(item, 'route');
  const record: IdempotencyRecord = {
    bodyHash: requireString(item, 'bodyHash'),
    ...(route === undefined ? {} : { route }),
    state,
    leaseUntil: requireString(item, 'leaseUntil'),
    requestId: requireString(item, 'requestId'),
    expiresAt,
  };
  return result === undefined ? record : { ...record, result };
}
