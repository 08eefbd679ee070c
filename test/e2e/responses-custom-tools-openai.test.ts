import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { customToolSuite, openAIToolUpstream } from '../helpers/responses-custom-tools.js';

// The openai SDK's responses.create with a custom tool (apply_patch) and a namespace → an OpenAI-backed alias.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' }));

customToolSuite(fixture, () => openAIToolUpstream(fixture.fake));
