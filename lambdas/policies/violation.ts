import { GatewayError } from '../core/errors.js';
import type { PolicyDecision } from './decisions.js';

/**
 * A request a policy rejects: 400 `policy_violation` (403 `model_not_allowed` for the model allowlist). The message
 * names the policy, and the detector or rule, and where in the request; never the matched text. `decision` is the
 * same for the logs.
 */
export class PolicyViolation extends GatewayError {
  readonly decision: PolicyDecision;

  constructor(message: string, param: string | null, decision: PolicyDecision, status: 400 | 403 = 400) {
    super({
      code: status === 403 ? 'model_not_allowed' : 'policy_violation',
      message,
      param,
    });
    this.name = 'PolicyViolation';
    this.decision = decision;
  }
}
