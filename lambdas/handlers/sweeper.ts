import middy from '@middy/core';
import { logger } from '../core/logger.js';
import { keyStore } from '../keys/runtime.js';
import { QuotaStore } from '../quota/quota-store.js';
import { sweepReservations, type SweepResult } from '../quota/sweeper.js';
import { dynamo, tableName } from '../store/client.js';

/**
 * Scheduled (every minute, by an EventBridge rule): releases quota reservations that expired unsettled, i.e. whose
 * gateway instance crashed or was cut off mid-request. Locally the server runs the same sweep on a timer.
 */
export const handler = middy<unknown, SweepResult>().handler(async () => {
  const result = await sweepReservations(keyStore(), new QuotaStore(dynamo(), tableName()), Date.now());
  logger.info('reservation sweep', { ...result });
  return result;
});
