/** Says whose count a count_tokens answer is: the provider's own (`provider`) or the gateway's estimate (`estimate`). */
export const TOKEN_COUNT_HEADER = 'X-Gateway-Token-Count';
