/**
 * Request bodies for /docs "Try it out", by operationId: each runs as it is against the local quick start (README):
 * `demo` is the chat alias on the echo provider and `demo-embed` the embedding alias, so no provider key is needed.
 */
export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  createChatCompletion: { model: 'demo', messages: [{ role: 'user', content: 'Say hello in five words.' }] },
  chat: { model: 'demo', messages: [{ role: 'user', content: 'Say hello in five words.' }] },
  createMessage: {
    model: 'demo',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
  },
  countMessageTokens: { model: 'demo', messages: [{ role: 'user', content: 'How many tokens is this?' }] },
  createResponse: { model: 'demo', input: 'Say hello in five words.' },
  createEmbedding: { model: 'demo-embed', input: 'The quick brown fox' },
  createFeedback: { request_id: 'req_replace-with-an-X-Gateway-Ledger-Id', score: 1, comment: 'Helpful answer' },
  createKey: { tenant: 'acme', plan: 'free', models: ['demo'], name: 'docs example' },
  rotateKey: { graceSeconds: 3600 },
};
