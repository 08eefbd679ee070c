interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** Asserts the exact OpenAI error shape (four fields, right types, no stack) and returns the error object. */
export function expectOpenAIError(body: unknown, code: string): OpenAIError {
  expect(Object.keys(body as object)).toEqual(['error']);
  const error = (body as { error: OpenAIError }).error;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof error.message).toBe('string');
  expect(typeof error.type).toBe('string');
  expect(error.param === null || typeof error.param === 'string').toBe(true);
  expect(error.code).toBe(code);
  expect(error.message).not.toMatch(/\n\s+at /);
  return error;
}
