import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import { n, s, type Item } from '../store/attributes.js';
import { idempotencyPk } from './idempotency-key.js';
import {
  SK,
  claimItem,
  classify,
  fromItem,
  isClaimable,
  isExpired,
  type BeginOutcome,
  type IdempotencyRecord,
  type StoredResponse,
} from './idempotency-record.js';

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Longer than the longest Lambda run (15 min), so a live request's claim is never taken over. */
export const DEFAULT_LEASE_MS = 15 * 60 * 1000;

interface BeginInput {
  readonly tenant: string;
  /** The client's Idempotency-Key as sent (validated here: 400 invalid_idempotency_key). */
  readonly key: string;
  /** sha256 hex of the canonical request body (sha256Hex). */
  readonly bodyHash: string;
  /**
   * The route the request came on ("POST /v1/chat/completions"). A key is scoped to its route: the same key on
   * another route is refused (422 idempotency_key_other_route), as Stripe refuses a key reused on another endpoint,
   * rather than replaying one format's answer on another or running a second operation under the same key.
   */
  readonly route: string;
  readonly requestId: string;
  readonly leaseMs?: number;
  readonly retentionMs?: number;
}

interface ClaimRef {
  readonly tenant: string;
  readonly key: string;
  readonly requestId: string;
}

/** Names for every attribute an expression touches (state, status, body... are DynamoDB reserved words). */
const NAMES = {
  '#pk': 'pk',
  '#bodyHash': 'bodyHash',
  '#route': 'route',
  '#state': 'state',
  '#leaseUntil': 'leaseUntil',
  '#requestId': 'requestId',
  '#expiresAt': 'expiresAt',
  '#result': 'result',
  '#status': 'status',
  '#headers': 'headers',
  '#body': 'body',
} as const;
type NameRef = keyof typeof NAMES;

/** Only the names an expression uses: DynamoDB rejects unused ExpressionAttributeNames. */
const names = (...refs: NameRef[]): Record<string, string> => Object.fromEntries(refs.map((ref) => [ref, NAMES[ref]]));

const HELD_BY = '#requestId = :requestId AND #state = :inFlight';

/**
 * Idempotency keys (the `Idempotency-Key` header): the first request with a key claims it, a retry with the same
 * key and body gets the stored response (or 409 while the first is in flight, 422 for another body), so the work
 * (and its charge) happens once. Layout: see IdempotencyRecord.
 */
export class IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims the key, or says why not. One conditional PutItem for a fresh key; on a conflict one consistent GetItem
   * to classify it. Should the blocking item vanish (abandoned) in between, the claim is tried again, a bounded
   * number of times, after which the request counts as in flight (409, the client retries).
   */
  async begin(input: BeginInput): Promise<BeginOutcome> {
    const pk = idempotencyPk(input.tenant, input.key);
    const at = this.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.claim(pk, input, at)) return { kind: 'new' };
      const existing = await this.read(pk, at);
      if (existing !== undefined && !isClaimable(existing, input.bodyHash, at, input.route))
        return classify(existing, input.bodyHash, input.route);
    }
    return { kind: 'in_flight' };
  }

  /** Stores the final non-stream response. False (nothing written) when this request no longer holds the claim. */
  async complete(ref: ClaimRef & StoredResponse): Promise<boolean> {
    return this.finish(
      ref,
      'SET #state = :done, #result = :response, #status = :status, #headers = :headers, #body = :body',
      {
        names: ['#result', '#status', '#headers', '#body'],
        values: {
          ':done': s('done'),
          ':response': s('response'),
          ':status': n(ref.status),
          ':headers': s(JSON.stringify(ref.headers)),
          ':body': s(ref.body),
        },
      },
    );
  }

  /**
   * Marks a streamed request done without storing it: a retry gets 409 idempotency_key_used_for_stream rather than
   * a second (charged) run. Call it once the stream has started; before that, `abandon` lets the client retry.
   */
  async completeStream(ref: ClaimRef): Promise<boolean> {
    return this.finish(ref, 'SET #state = :done, #result = :stream', {
      names: ['#result'],
      values: { ':done': s('done'), ':stream': s('stream') },
    });
  }

  /**
   * Releases the claim so a retry with the key runs afresh: for failures the client should be able to retry (an
   * upstream 5xx, a stream that failed before its first byte). False when this request no longer holds the claim.
   */
  async abandon(ref: ClaimRef): Promise<boolean> {
    return this.conditional(() =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: this.key(ref),
          ConditionExpression: HELD_BY,
          ExpressionAttributeNames: names('#requestId', '#state'),
          ExpressionAttributeValues: { ':requestId': s(ref.requestId), ':inFlight': s('in_flight') },
        }),
      ),
    );
  }

  private async claim(pk: string, input: BeginInput, at: number): Promise<boolean> {
    const retentionMs = input.retentionMs ?? DEFAULT_RETENTION_MS;
    const leaseMs = input.leaseMs ?? DEFAULT_LEASE_MS;
    return this.conditional(() =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: claimItem(pk, {
            bodyHash: input.bodyHash,
            route: input.route,
            requestId: input.requestId,
            leaseUntil: new Date(at + leaseMs).toISOString(),
            expiresAt: Math.ceil((at + retentionMs) / 1000),
          }),
          // Keep in step with isClaimable.
          ConditionExpression:
            'attribute_not_exists(#pk) OR #expiresAt <= :nowSeconds OR ' +
            '(#state = :inFlight AND #leaseUntil <= :nowIso AND #bodyHash = :bodyHash AND (attribute_not_exists(#route) OR #route = :route))',
          ExpressionAttributeNames: names('#pk', '#expiresAt', '#state', '#leaseUntil', '#bodyHash', '#route'),
          ExpressionAttributeValues: {
            ':nowSeconds': n(Math.floor(at / 1000)),
            ':inFlight': s('in_flight'),
            ':nowIso': s(new Date(at).toISOString()),
            ':bodyHash': s(input.bodyHash),
            ':route': s(input.route),
          },
        }),
      ),
    );
  }

  /** The key's record, or undefined when there is none or it has expired (TTL deletion lags). */
  private async read(pk: string, at: number): Promise<IdempotencyRecord | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: s(pk), sk: s(SK) }, ConsistentRead: true }),
    );
    if (out.Item === undefined) return undefined;
    const record = fromItem(out.Item);
    return isExpired(record, at) ? undefined : record;
  }

  private finish(ref: ClaimRef, update: string, extra: { names: NameRef[]; values: Item }): Promise<boolean> {
    return this.conditional(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(ref),
          UpdateExpression: update,
          ConditionExpression: HELD_BY,
          ExpressionAttributeNames: names('#requestId', '#state', ...extra.names),
          ExpressionAttributeValues: { ':requestId': s(ref.requestId), ':inFlight': s('in_flight'), ...extra.values },
        }),
      ),
    );
  }

  private key(ref: ClaimRef): Item {
    return { pk: s(idempotencyPk(ref.tenant, ref.key)), sk: s(SK) };
  }

  /** Sends a conditional write: true when it applied, false when its condition failed. */
  private async conditional(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
