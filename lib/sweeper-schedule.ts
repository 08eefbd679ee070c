import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** How often expired quota reservations are released (a reservation expires a request deadline plus 60 s after it). */
export const SWEEP_RATE = Duration.minutes(1);

/** An EventBridge rule invoking the sweeper function every SWEEP_RATE (no retries: the next run comes soon). */
export function scheduleSweeper(scope: Construct, fn: IFunction): Rule {
  return new Rule(scope, 'ReservationSweep', {
    description: 'Releases quota reservations that expired unsettled (crashed or cut-off chat requests)',
    schedule: Schedule.rate(SWEEP_RATE),
    targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
  });
}
