import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { requestLog } from '../core/request-log.js';
import { keyStore } from '../keys/runtime.js';
import { QuotaStore } from '../quota/quota-store.js';
import { sweepReservations, type SweepResult } from '../quota/sweeper.js';
import { onClient } from '../store/client.js';

/**
 * Scheduled (every minute, by an EventBridge rule): releases quota reservations that expired unsettled, i.e. whose
 * gateway instance crashed or was cut off mid-request. Locally the server runs the same sweep on a timer. Its log
 * lines carry the invocation's id as their request id, like every other line.
 */
const quotaStore = onClient((client, table) => new QuotaStore(client, table));

export const handler = middy<unknown, SweepResult, Error, Context>().handler(async (_event, context) => {
  const log = requestLog(context.awsRequestId, context.awsRequestId);
  const result = await sweepReservations(keyStore(), quotaStore(), Date.now());
  if (result.released > 0) log.info('reservation sweep released expired reservations', { ...result });
  else log.debug('reservation sweep', { ...result });
  return result;
});
