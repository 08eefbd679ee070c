import { claudeCodeSuite } from '../helpers/claude-code-suite.js';

// Claude Code 2.1.332 through the gateway on an openai-backed alias named claude-sonnet-4-6: test/helpers/claude-code-suite.ts.
claudeCodeSuite('openai');
