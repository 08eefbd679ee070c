/**
 * Ids of the Responses format. A response is `resp_<ledger id>` (the ledger id is `req_…`); each of its items carries
 * the same ledger id — output items `msg_<ledger>_<n>` / `fc_<ledger>_<n>` / `ctc_<ledger>_<n>`, stored input items `<kind>_<ledger>_i<n>` —
 * so an `item_reference` names the stored response that holds the item, and one read finds it.
 */
export const RESPONSE_ID_PREFIX = 'resp_';

const kindPrefix = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  custom_tool_call: 'ctc',
  custom_tool_call_output: 'ctco',
  reasoning: 'rs',
  web_search_call: 'ws',
  file_search_call: 'fs',
  code_interpreter_call: 'ci',
  image_generation_call: 'ig',
  tool_search_call: 'tsc',
  tool_search_output: 'tso',
  additional_tools: 'at',
} as const;
export type ItemKind = keyof typeof kindPrefix;

/** The ledger id in a response id (`resp_req_…` → `req_…`), or undefined when it is not one of the gateway's. */
export function ledgerIdOf(responseId: string): string | undefined {
  return responseId.startsWith(`${RESPONSE_ID_PREFIX}req_`) ? responseId.slice(RESPONSE_ID_PREFIX.length) : undefined;
}

export const outputItemId = (kind: ItemKind, ledgerId: string, index: number): string =>
  `${kindPrefix[kind]}_${ledgerId}_${index}`;

export const inputItemId = (kind: ItemKind, ledgerId: string, index: number): string =>
  `${kindPrefix[kind]}_${ledgerId}_i${index}`;

/** The id of the response an item id of the gateway belongs to, or undefined for any other id. */
export function responseIdOfItem(itemId: string): string | undefined {
  const match = /^[a-z]+_(req_[A-Za-z0-9_-]+)_i?\d+$/.exec(itemId);
  return match?.[1] === undefined ? undefined : `${RESPONSE_ID_PREFIX}${match[1]}`;
}
