import type { FunctionName } from '../lambdas/api/routes.js';

/**
 * Which module each Lambda function of the route table runs; the record type makes a new function name a compile
 * error here until the local server knows how to load it.
 */
export const functionModules: Readonly<Record<FunctionName, () => Promise<{ handler: unknown }>>> = {
  health: () => import('../lambdas/handlers/health.js'),
  docs: () => import('../lambdas/handlers/docs.js'),
  fallback: () => import('../lambdas/handlers/fallback.js'),
  chat: () => import('../lambdas/handlers/chat.js'),
  admin: () => import('../lambdas/handlers/admin.js'),
  usage: () => import('../lambdas/handlers/usage.js'),
  authorizer: () => import('../lambdas/handlers/authorizer.js'),
  sweeper: () => import('../lambdas/handlers/sweeper.js'),
  // Locally the store front feeds the aggregator itself (local/transact/stream-feed.ts); no route calls this.
  'ledger-aggregator': () => import('../lambdas/handlers/ledger-aggregator.js'),
};
