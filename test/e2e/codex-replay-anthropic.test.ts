import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { codexModels, codexAnthropicModel, patchCallAnthropic } from '../helpers/codex.js';
import { replayCaptures } from '../helpers/codex-replay.js';

// Codex's captured requests (test/fixtures/codex/) replayed against an Anthropic-backed alias.

replayCaptures(
  chatFixture('anthropic', () => startFakeAnthropic({ defaultReply: codexAnthropicModel }), undefined, {
    models: codexModels('anthropic'),
  }),
  patchCallAnthropic(),
);
