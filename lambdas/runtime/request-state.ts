import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { GatewayRequest } from './types.js';

// Middy passes a handler only (event, context); the middlewares' per-request state is keyed on the event object,
// which lives exactly as long as the invocation.
const state = new WeakMap<APIGatewayProxyEvent, GatewayRequest>();

export const gatewayRequestOf = (event: APIGatewayProxyEvent): GatewayRequest | undefined => state.get(event);

export const setGatewayRequest = (event: APIGatewayProxyEvent, request: GatewayRequest): void => {
  state.set(event, request);
};
