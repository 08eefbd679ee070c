import { GatewayError } from '../core/errors.js';

/** Why a chat request's AbortController fired: its deadline, or its client leaving. */
export class DeadlineExceeded extends Error {}
export class ClientGone extends Error {}
// Abort reasons are only compared: one instance each spares a stack capture per request.
export const DEADLINE = new DeadlineExceeded('deadline');
export const CLIENT_GONE = new ClientGone('client gone');

export const deadlineError = (ms: number): GatewayError =>
  new GatewayError({ message: `The request did not complete within ${ms} ms.`, code: 'request_deadline_exceeded' });
// Nobody reads it: it is what the ledger and the request log record for a client that left before its answer.
export const clientGoneError = (): GatewayError =>
  new GatewayError({ message: 'The client closed the connection before the answer.', code: 'client_closed_request' });

/**
 * What a request that failed before its answer is booked and answered with: the deadline's 504 or a client gone's
 * 499 when the request's controller fired for either (`reason`), else the failure itself.
 */
export const failureOf = (reason: unknown, err: unknown, deadlineMs: number): unknown =>
  reason instanceof DeadlineExceeded
    ? deadlineError(deadlineMs)
    : reason instanceof ClientGone
      ? clientGoneError()
      : err;
