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
  readonly Code: 'None' | 'ConditionalCheckFailed';
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
