export const PROVIDER_HEADER = 'X-Gateway-Provider';
export const MODEL_HEADER = 'X-Gateway-Model';
export const ATTEMPTS_HEADER = 'X-Gateway-Attempts';
/** The request's id in the ledger (`req_…`): what POST /v1/feedback and GET /v1/requests/{id} take. */
export const LEDGER_ID_HEADER = 'X-Gateway-Ledger-Id';
/** Request fields the answering target dropped as hints without effect on the answer's meaning: `a,b`. */
export const IGNORED_HEADER = 'X-Gateway-Ignored';
