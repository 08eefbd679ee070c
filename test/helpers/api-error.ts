import { APIError } from 'openai';

/** The openai SDK error a call rejected with (failing the test if it resolved or threw something else). */
export async function apiFailure(promise: Promise<unknown>): Promise<APIError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(APIError);
  return err as APIError;
}
