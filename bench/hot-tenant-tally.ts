import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  type DynamoDBClient,
} from '../lambdas/aws-http/dynamodb.js';

/** Throttled and cancelled calls seen by one side (the request path, or the aggregators). */
export class Tally {
  throttled = 0;
  cancelled = 0;

  count(err: unknown): void {
    if (err instanceof ThrottlingException || err instanceof ProvisionedThroughputExceededException)
      this.throttled += 1;
    else if (err instanceof TransactionConflictException) this.cancelled += 1;
    else if (err instanceof TransactionCanceledException) {
      const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (codes.includes('ThrottlingError')) this.throttled += 1;
      else if (codes.includes('TransactionConflict')) this.cancelled += 1;
    }
  }

  reset(): void {
    this.throttled = 0;
    this.cancelled = 0;
  }
}

/** The client, its failed calls counted in `tally` (then thrown as they were). */
export function tallied(client: DynamoDBClient, tally: Tally): DynamoDBClient {
  const counting = Object.create(client) as DynamoDBClient;
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  counting.send = ((command: unknown) =>
    send(command).catch((err: unknown) => {
      tally.count(err);
      throw err;
    })) as DynamoDBClient['send'];
  return counting;
}
