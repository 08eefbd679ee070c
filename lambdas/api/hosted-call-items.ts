/** Hosted tools' call items of a Responses input (zod-free: the translation reads it at init). */
export const HOSTED_CALL_ITEMS = [
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'tool_search_call',
  'tool_search_output',
] as const;
