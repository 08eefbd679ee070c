/** An error the front answers itself, in DynamoDB's JSON 1.0 error shape. */
export class DynamoError extends Error {
  constructor(
    readonly status: number,
    /** Full `__type`, e.g. `com.amazonaws.dynamodb.v20120810#TransactionCanceledException`. */
    readonly type: string,
    message: string,
    /** Extra members of the error body (e.g. `CancellationReasons`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
    /** The member name DynamoDB uses for the text (`message` or `Message`). */
    readonly messageMember: 'message' | 'Message' = 'message',
  ) {
    super(message);
    this.name = type.slice(type.indexOf('#') + 1);
  }

  body(): Record<string, unknown> {
    return { __type: this.type, [this.messageMember]: this.message, ...this.extra };
  }
}

const dynamoNamespace = 'com.amazonaws.dynamodb.v20120810#';

export const validationError = (message: string): DynamoError =>
  new DynamoError(400, 'com.amazon.coral.validate#ValidationException', message);

export const idempotentMismatch = (): DynamoError =>
  new DynamoError(
    400,
    `${dynamoNamespace}IdempotentParameterMismatchException`,
    'Request token is already used with different parameters',
    {},
    'Message',
  );

export interface CancellationReason {
  readonly Code: 'None' | 'ConditionalCheckFailed' | 'TransactionConflict' | 'ThrottlingError';
  readonly Message?: string;
  readonly Item?: Readonly<Record<string, unknown>>;
}

export const transactionCanceled = (reasons: readonly CancellationReason[]): DynamoError =>
  new DynamoError(
    400,
    `${dynamoNamespace}TransactionCanceledException`,
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
    'Message',
  );

export const internalError = (message: string): DynamoError =>
  new DynamoError(500, `${dynamoNamespace}InternalServerError`, message);

/**
 * A partition key value over its rate (dynamo-limits.ts), as DynamoDB answers on an on-demand table: a
 * ThrottlingException naming the key range (and the table or index) in ThrottlingReasons.
 */
export const keyRangeThrottled = (table: string, index: string | undefined, kind: 'Read' | 'Write'): DynamoError =>
  new DynamoError(
    400,
    'com.amazon.coral.availability#ThrottlingException',
    index === undefined
      ? 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html'
      : 'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.',
    {
      throttlingReasons: [
        {
          reason: `${index === undefined ? 'Table' : 'Index'}${kind}KeyRangeThroughputExceeded`,
          resource: `arn:aws:dynamodb:local:000000000000:table/${table}${index === undefined ? '' : `/index/${index}`}`,
        },
      ],
    },
  );

/** A single write to an item a running transaction holds. */
export const transactionConflict = (): DynamoError =>
  new DynamoError(400, `${dynamoNamespace}TransactionConflictException`, 'Transaction is ongoing for the item');
