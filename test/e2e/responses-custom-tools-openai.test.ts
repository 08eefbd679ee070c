import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { customToolSuite, openAIToolUpstream } from '../helpers/responses-custom-tools.js';

// The openai SDK's responses.create with a custom tool (apply_patch) and a namespace → an OpenAI-backed alias on the
// chat-completions lane (`api: "chat"`: the translation every non-OpenAI target gets); the native Responses lane with
// apply_patch is covered by the real Codex run (test/e2e/codex-openai.test.ts, "applies a patch").

const fixture = chatFixture(
  'openai',
  () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' }),
  undefined,
  undefined,
  'chat',
);

customToolSuite(fixture, () => openAIToolUpstream(fixture.fake));
