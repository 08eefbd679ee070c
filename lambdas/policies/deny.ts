import type { DenyRuleConfig } from './config.js';
import type { RequestText } from './texts.js';
import { PolicyViolation } from './violation.js';

/** Deny rules, compiled once per configuration; a request whose text matches one is rejected. */
export interface DenyRule {
  /** 1-based position in the configuration: how the rule is named to clients and in decisions. */
  readonly number: number;
  readonly regex: RegExp;
  readonly message: string | undefined;
}

export function compileDenyRules(rules: readonly DenyRuleConfig[]): DenyRule[] {
  // No `g` or `y` flag (the schema forbids them): test() then keeps no state between calls.
  return rules.map((rule, index) => ({
    number: index + 1,
    regex: new RegExp(rule.pattern, rule.flags),
    message: rule.message,
  }));
}

/** Throws on the first text that matches a rule; the message is the rule's own or names it, never the match. */
export function checkDeny(texts: readonly RequestText[], rules: readonly DenyRule[]): void {
  for (const rule of rules) {
    const hit = texts.find(({ text }) => rule.regex.test(text));
    if (hit !== undefined) {
      throw new PolicyViolation(
        rule.message ?? `Request blocked by policy deny (rule ${rule.number}) in ${hit.path}.`,
        hit.path,
        `deny.block=${rule.number}`,
      );
    }
  }
}
