import {
  ConditionalCheckFailedException,
  GetItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import type { FeedbackView, RequestRecordView } from '../api/feedback-schemas.js';
import { n, readNumber, readString, s, type Item } from '../store/attributes.js';

/** Feedback as stored on a request record: the attribute `feedback`, a map. */
export interface Feedback {
  readonly score: number;
  readonly label: string | undefined;
  readonly comment: string | undefined;
  readonly keyId: string;
  readonly createdAt: string;
}

const recordKey = (id: string): Item => ({ pk: s(`REQ#${id}`), sk: s('REQ') });

function feedbackOf(item: Item): FeedbackView | null {
  const map = item.feedback?.M;
  if (map === undefined) return null;
  return {
    score: readNumber(map, 'score') ?? 0,
    label: readString(map, 'label') ?? null,
    comment: readString(map, 'comment') ?? null,
    key_id: readString(map, 'keyId') ?? '',
    created_at: readString(map, 'createdAt') ?? '',
  };
}

/** A request record `REQ#<id>` (ledger-items.ts) in the API's shape. */
export function requestRecordView(id: string, item: Item): RequestRecordView {
  const input = readNumber(item, 'inputTokens');
  const cost = readNumber(item, 'costMicros');
  return {
    object: 'request',
    id,
    request_id: readString(item, 'requestId') ?? '',
    created_at: readString(item, 'createdAt') ?? '',
    tenant: readString(item, 'tenant') ?? '',
    key_id: readString(item, 'keyId') ?? '',
    plan: readString(item, 'plan') ?? '',
    model: readString(item, 'alias') ?? '',
    provider: readString(item, 'provider') ?? null,
    provider_model: readString(item, 'model') ?? null,
    status: readNumber(item, 'status') ?? 0,
    stream: item.stream?.BOOL ?? false,
    usage:
      input === undefined
        ? null
        : {
            input_tokens: input,
            output_tokens: readNumber(item, 'outputTokens') ?? 0,
            cached_tokens: readNumber(item, 'cachedTokens') ?? 0,
            cache_write_tokens: readNumber(item, 'cacheWriteTokens') ?? 0,
            estimated: item.estimated?.BOOL ?? false,
          },
    cost_micros: cost ?? null,
    cost_usd: cost === undefined ? null : cost / 1e6,
    attempts: readNumber(item, 'attempts') ?? 0,
    feedback: feedbackOf(item),
  };
}

/**
 * The ledger's request records as the feedback API reads and annotates them. Every access names the tenant that
 * must own the record: a record of another tenant, an expired one (TTL deletion lags) and a missing one are alike
 * `undefined` / `false`, so no caller can learn whether another tenant's id exists.
 */
export class RequestRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** The record, if it exists, has not expired and (unless `tenant` is undefined: administrators) is `tenant`'s. */
  async get(id: string, tenant: string | undefined, now: Date = new Date()): Promise<Item | undefined> {
    const { Item: item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: recordKey(id), ConsistentRead: true }),
    );
    if (item === undefined) return undefined;
    if (tenant !== undefined && readString(item, 'tenant') !== tenant) return undefined;
    const expiresAt = readNumber(item, 'expiresAt');
    if (expiresAt !== undefined && expiresAt <= Math.floor(now.getTime() / 1000)) return undefined;
    return item;
  }

  /**
   * Sets the record's feedback (a later one replaces it), in ONE conditional UpdateItem: the record must exist,
   * belong to `tenant` and not have expired. False when it does not.
   */
  async setFeedback(id: string, tenant: string, feedback: Feedback, now: Date = new Date()): Promise<boolean> {
    const map: Item = { score: n(feedback.score), keyId: s(feedback.keyId), createdAt: s(feedback.createdAt) };
    if (feedback.label !== undefined) map.label = s(feedback.label);
    if (feedback.comment !== undefined) map.comment = s(feedback.comment);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: recordKey(id),
          UpdateExpression: 'SET #feedback = :feedback',
          ConditionExpression:
            'attribute_exists(pk) AND #tenant = :tenant AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
          ExpressionAttributeNames: { '#feedback': 'feedback', '#tenant': 'tenant', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: {
            ':feedback': { M: map },
            ':tenant': s(tenant),
            ':now': n(Math.floor(now.getTime() / 1000)),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
