import type { PoliciesConfig } from './config.js';
import { compileDenyRules, type DenyRule } from './deny.js';
import type { PiiPolicy } from './pii-policy.js';
import { detectorsNamed } from './pii/detectors.js';

/**
 * A plan's policies ready to run: deny rules compiled, detectors picked in priority order. The detectors' own
 * regexes are compiled once, when their modules load. Compiled once per configuration object (the configuration
 * is read once per process), so calling this at configuration load makes the first request pay nothing.
 */
interface CompiledPolicies {
  readonly config: PoliciesConfig;
  readonly deny: readonly DenyRule[];
  readonly pii: PiiPolicy | undefined;
}

const compiled = new WeakMap<PoliciesConfig, CompiledPolicies>();

export function compilePolicies(config: PoliciesConfig): CompiledPolicies {
  let policies = compiled.get(config);
  if (policies === undefined) {
    policies = {
      config,
      deny: compileDenyRules(config.deny ?? []),
      pii:
        config.pii === undefined
          ? undefined
          : {
              mode: config.pii.mode,
              detectors: detectorsNamed(config.pii.detectors),
              applyToOutput: config.pii.applyToOutput === true,
            },
    };
    compiled.set(config, policies);
  }
  return policies;
}
