import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { anthropicToolUpstream, customToolSuite } from '../helpers/responses-custom-tools.js';

// The openai SDK's responses.create with a custom tool (apply_patch) and a namespace → an Anthropic-backed alias.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }));

customToolSuite(fixture, () => anthropicToolUpstream(fixture.fake));
