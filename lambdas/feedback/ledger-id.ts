/**
 * The gateway's ledger ids as clients may quote them: `req_…` (the X-Gateway-Ledger-Id header), or the answer's id
 * that carries it, `chatcmpl-req_…` (chat completions) or `msg_req_…` (/v1/messages).
 */
const LEDGER_ID = /^req_[A-Za-z0-9_-]{17,40}$/;
const PREFIXES = ['chatcmpl-', 'msg_'] as const;

/** The ledger id in `quoted`, or undefined when it is none of the accepted forms. */
export function ledgerIdOf(quoted: string): string | undefined {
  const prefix = PREFIXES.find((p) => quoted.startsWith(p));
  const id = prefix === undefined ? quoted : quoted.slice(prefix.length);
  return LEDGER_ID.test(id) ? id : undefined;
}
