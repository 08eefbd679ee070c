import type { AttributeValue, CancellationReason } from '@aws-sdk/client-dynamodb';
import { AwsServiceError, type ServiceErrorClass } from './service-error.js';

/** DynamoDB's exceptions that callers check by class, named and shaped as the AWS SDK's. */
export class DynamoDBServiceException extends AwsServiceError {}

/** A condition failed; `Item` is the item as it was when the call asked for it (ReturnValuesOnConditionCheckFailure). */
export class ConditionalCheckFailedException extends DynamoDBServiceException {
  declare readonly Item?: Record<string, AttributeValue> | undefined;
}

/** A transaction was cancelled; `CancellationReasons` has one entry per item, in order. */
export class TransactionCanceledException extends DynamoDBServiceException {
  declare readonly CancellationReasons?: CancellationReason[] | undefined;
  declare readonly Message?: string | undefined;
}

export class TransactionConflictException extends DynamoDBServiceException {}
export class ProvisionedThroughputExceededException extends DynamoDBServiceException {}
export class ThrottlingException extends DynamoDBServiceException {}
export class RequestLimitExceeded extends DynamoDBServiceException {}
export class ResourceNotFoundException extends DynamoDBServiceException {}
export class ItemCollectionSizeLimitExceededException extends DynamoDBServiceException {}
export class TransactionInProgressException extends DynamoDBServiceException {}
export class InternalServerError extends DynamoDBServiceException {}

/** The classes by exception name (what an error answer's `__type` names). */
export const DYNAMODB_EXCEPTIONS: Readonly<Record<string, ServiceErrorClass>> = {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ItemCollectionSizeLimitExceededException,
  TransactionInProgressException,
  InternalServerError,
};
