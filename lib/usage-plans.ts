import { Stack } from 'aws-cdk-lib';
import { Period, UsagePlan, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import type { GatewayConfig, PlanConfig } from '../lambdas/config/schema.js';

const PERIODS: { readonly [P in NonNullable<PlanConfig['quota']>['period']]: Period } = {
  DAY: Period.DAY,
  WEEK: Period.WEEK,
  MONTH: Period.MONTH,
};

const constructId = (plan: string): string => `UsagePlan-${plan}`;

/**
 * One API Gateway usage plan per plan of the configuration, named `<stack>-<plan>`, on the API's stage: the
 * plan's rate and burst per tenant, and its request quota when it has one. Usage plans are best effort (AWS's own
 * words); budgets are enforced in DynamoDB. The admin function puts each tenant's API key in its plan's usage plan.
 */
export function createUsagePlans(
  scope: Construct,
  api: RestApi,
  plans: GatewayConfig['plans'],
): ReadonlyMap<string, UsagePlan> {
  const stackName = Stack.of(scope).stackName;
  return new Map(
    Object.entries(plans).map(([plan, spec]) => [
      plan,
      new UsagePlan(scope, constructId(plan), {
        name: `${stackName}-${plan}`,
        description: spec.description ?? `LLM Gateway plan "${plan}"`,
        throttle: { rateLimit: spec.rateLimit, burstLimit: spec.burstLimit },
        ...(spec.quota === undefined ? {} : { quota: { limit: spec.quota.limit, period: PERIODS[spec.quota.period] } }),
        apiStages: [{ stage: api.deploymentStage }],
      }),
    ]),
  );
}
