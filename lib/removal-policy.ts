import { RemovalPolicy } from 'aws-cdk-lib';

/** The CDK context key choosing what happens to stateful resources when the stack deletes or replaces them. */
export const REMOVAL_POLICY_CONTEXT_KEY = 'removalPolicy';

export interface RemovalPolicies {
  /** The table and the provider secret. */
  readonly data: RemovalPolicy;
  /** Function and access log groups. */
  readonly logs: RemovalPolicy;
}

/**
 * `retain` (default) keeps the table, the secret and the logs; `destroy` deletes them with the stack (dev stacks).
 * `snapshot` is refused: CloudFormation offers the Snapshot deletion policy only for EC2 volumes, RDS, ElastiCache,
 * Neptune, Redshift and DocumentDB, not for DynamoDB tables, so it would silently behave like delete-or-fail.
 */
export function removalPolicies(value: unknown): RemovalPolicies {
  switch (value ?? 'retain') {
    case 'retain':
      return { data: RemovalPolicy.RETAIN, logs: RemovalPolicy.RETAIN };
    case 'destroy':
      return { data: RemovalPolicy.DESTROY, logs: RemovalPolicy.DESTROY };
    case 'snapshot':
      throw new Error(
        `Context ${REMOVAL_POLICY_CONTEXT_KEY}=snapshot is not supported: CloudFormation cannot snapshot a DynamoDB ` +
          'table on delete. Use "retain" (the default; point-in-time recovery stays on) or "destroy".',
      );
    default:
      throw new Error(
        `Context ${REMOVAL_POLICY_CONTEXT_KEY} must be "retain" or "destroy", got ${JSON.stringify(value)}.`,
      );
  }
}
