import { z } from 'zod';

/** What the compat tests send, the same for every client (test/compat/<client id>.test.ts). */

export const PLAIN_PROMPT = 'Say hello.';
export const STREAM_PROMPT = 'Say hello, in pieces.';
/** A stream the upstream holds after its first text piece until the test calls `ctx.releaseStream()`. */
export const HELD_STREAM_PROMPT = 'HOLD: say hello, in pieces.';
export const SLOW_PROMPT = 'SLOW: write a long text.';
export const RATE_LIMITED_PROMPT = 'FAIL_429 please.';
export const TOOL_PROMPT = 'What is the weather in Paris?';
export const PARALLEL_PROMPT = 'PARALLEL: what is the weather in Paris and in Tokyo?';
export const STRUCTURED_PROMPT = 'The weather in Paris as JSON.';
export const IMAGE_PROMPT = 'What is in this picture?';
/** A temperature every API refuses: the gateway answers 400 before any upstream call. */
export const INVALID_TEMPERATURE = 5;

/** A 1×1 PNG. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

/** The client's weather tool: `get_weather({city})`. */
export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'The current weather in a city',
} as const;
export const FORECAST: Readonly<Record<string, string>> = { Paris: '21°C, sunny', Tokyo: '18°C, rain' };
export const getWeather = ({ city }: { city: string }): string => `${city}: ${FORECAST[city] ?? 'unknown'}`;
export const weatherParameters = {
  type: 'object',
  properties: { city: { type: 'string', description: 'The city' } },
  required: ['city'],
  additionalProperties: false,
} as const;
export const weatherInput = z.object({ city: z.string().describe('The city') });

/** The fixed test schema of structured output. */
export const weatherReport = z.object({ city: z.string(), temperature: z.number() });
export const weatherReportJsonSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
  additionalProperties: false,
} as const;

/** A long, stable prompt prefix worth caching; `cachePrompt(tag)` keeps each test's prompt its own. */
export const CACHE_PREFIX = `You are a meticulous weather assistant. ${'Always answer briefly and cite the city. '.repeat(40)}`;
export const cachePrompt = (tag: string): string => `[${tag}] What is the weather like today?`;
