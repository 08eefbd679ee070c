import type { ChatRequest } from '../api/chat-schemas.js';
import type { CacheSlot } from '../cache/cache-slot.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import type { ChatEncoding } from '../formats/chat-encoding.js';
import type { PolicyDecision } from '../policies/decisions.js';
import type { HostedTools } from '../providers/hosted-tools.js';
import type { NativeResponses } from '../providers/native-responses.js';
import type { GatewayRequest } from '../runtime/types.js';
import type { QuotaHold } from './quota-gate.js';

/**
 * What one request's reporting has gathered: its policy decisions (request, then answer) and whether its "request
 * completed" line and evaluation event went out (they go out once, whatever path the request ended on).
 */
export interface Trail {
  readonly policy: PolicyDecision[];
  reported: boolean;
}

/** The books of one request: its ledger id, its quota hold (if its plan has quotas) and its trail. */
export interface Books {
  readonly ledgerId: string;
  readonly createdAt: string;
  readonly hold: QuotaHold | undefined;
  readonly trail: Trail;
}

/**
 * One chat request as every step of the service reads it: the gateway request it came in, the configuration, who
 * asks (the key's principal), the canonical request, the format it is answered in, and its reporting trail. As it
 * arrives `request` is the client's; once the plan's policies ran (chat-run.ts), the one routed.
 */
export interface ChatScope {
  readonly gateway: GatewayRequest;
  readonly config: GatewayConfig;
  readonly principal: Principal;
  readonly request: ChatRequest;
  readonly encoding: ChatEncoding;
  readonly trail: Trail;
  /** The client's `anthropic-beta` tokens (Anthropic-format routes), for Anthropic targets (ProviderCall.betas). */
  readonly betas?: readonly string[];
  /** The response cache's slot when the request's alias or plan caches (lambdas/cache): booked and fed by the run. */
  readonly cache?: CacheSlot | undefined;
  /** The Responses API's own fields (/v1/responses), for targets that call it natively (ProviderCall.native). */
  readonly native?: NativeResponses;
  /** The client's provider-hosted tools (chat/hosted-gate.ts: which targets run them; ProviderCall.hosted). */
  readonly hosted?: HostedTools;
}
