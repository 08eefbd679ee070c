import { randomUUID } from 'node:crypto';
import type {
  DeleteItemCommandInput,
  DeleteItemCommandOutput,
  DescribeTableCommandInput,
  DescribeTableCommandOutput,
  GetItemCommandInput,
  GetItemCommandOutput,
  PutItemCommandInput,
  PutItemCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteItemsCommandInput,
  TransactWriteItemsCommandOutput,
  UpdateItemCommandInput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { DYNAMODB_EXCEPTIONS } from './dynamodb-errors.js';
import { JsonServiceClient, type AwsClientConfig, type JsonCommand, type JsonProtocol } from './json-client.js';

export * from './dynamodb-errors.js';
export type {
  AttributeValue,
  CancellationReason,
  TransactWriteItem,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';

/**
 * Binary attributes come as base64 text (`{"B": "…"}`, `{"BS": [...]}`): back to bytes, as the SDK gives them. An
 * object whose only key is `B` with a string value is always an attribute value (a map's values are objects).
 */
function reviveBinary(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const only = (value as Record<string, unknown>)[keys[0] as string];
  if (keys[0] === 'B' && typeof only === 'string') return { B: bytes(only) };
  if (keys[0] === 'BS' && Array.isArray(only) && only.every((one) => typeof one === 'string')) {
    return { BS: (only as string[]).map(bytes) };
  }
  return value;
}

const bytes = (base64: string): Uint8Array => {
  const buffer = Buffer.from(base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

const DYNAMODB: JsonProtocol = {
  hostPrefix: 'dynamodb',
  envVar: 'AWS_ENDPOINT_URL_DYNAMODB',
  targetPrefix: 'DynamoDB_20120810',
  contentType: 'application/x-amz-json-1.0',
  exceptions: DYNAMODB_EXCEPTIONS,
  // The reviver only when a binary attribute may be there (it visits every value).
  parse: (text) =>
    (text.includes('"B":"') || text.includes('"BS":[') ? JSON.parse(text, reviveBinary) : JSON.parse(text)) as unknown,
  // The SDK fills TransactWriteItems' idempotency token: a retry within 10 minutes is then applied at most once.
  prepare: (operation, input) =>
    operation === 'TransactWriteItems' && !('ClientRequestToken' in input && input.ClientRequestToken)
      ? { ...input, ClientRequestToken: randomUUID() }
      : input,
};

/**
 * The data plane's DynamoDB client (the AWS SDK's name and `send`/`destroy`): JSON 1.0 over node:http(s), no SDK
 * loaded. Only the operations lambdas/ calls have command classes.
 */
export class DynamoDBClient extends JsonServiceClient {
  constructor(config: AwsClientConfig = {}) {
    super(DYNAMODB, config);
  }
}

abstract class DynamoDBCommand<Input extends object, Output> implements JsonCommand<Input, Output> {
  abstract readonly operation: string;
  declare readonly outputType?: Output;
  constructor(readonly input: Input) {}
}

export class GetItemCommand extends DynamoDBCommand<GetItemCommandInput, GetItemCommandOutput> {
  readonly operation = 'GetItem';
}
export class PutItemCommand extends DynamoDBCommand<PutItemCommandInput, PutItemCommandOutput> {
  readonly operation = 'PutItem';
}
export class UpdateItemCommand extends DynamoDBCommand<UpdateItemCommandInput, UpdateItemCommandOutput> {
  readonly operation = 'UpdateItem';
}
export class DeleteItemCommand extends DynamoDBCommand<DeleteItemCommandInput, DeleteItemCommandOutput> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends DynamoDBCommand<QueryCommandInput, QueryCommandOutput> {
  readonly operation = 'Query';
}
export class ScanCommand extends DynamoDBCommand<ScanCommandInput, ScanCommandOutput> {
  readonly operation = 'Scan';
}
export class TransactWriteItemsCommand extends DynamoDBCommand<
  TransactWriteItemsCommandInput,
  TransactWriteItemsCommandOutput
> {
  readonly operation = 'TransactWriteItems';
}
/** Its output's dates are left as the service sends them (seconds since the epoch), unlike the SDK's Dates. */
export class DescribeTableCommand extends DynamoDBCommand<DescribeTableCommandInput, DescribeTableCommandOutput> {
  readonly operation = 'DescribeTable';
}
