import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { codexModels, codexOpenAIModel, patchCallResponses } from '../helpers/codex.js';
import { replayCaptures } from '../helpers/codex-replay.js';

// Codex's captured requests (test/fixtures/codex/) replayed against an OpenAI-backed alias (the Responses lane: it
// runs the hosted tools Codex offers, web_search and tool_search).

replayCaptures(
  chatFixture('openai', () => startFakeOpenAI({ defaultReply: codexOpenAIModel }), undefined, {
    models: codexModels('openai'),
  }),
  patchCallResponses(),
  true,
);
