import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import { APIError } from 'openai';

/** The error of class `type` a call rejected with (failing the test if it resolved or threw something else). */
async function failureOf<E>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

/** The openai SDK error a call rejected with. */
export const apiFailure = (promise: Promise<unknown>): Promise<APIError> => failureOf(promise, APIError);

/** The @anthropic-ai/sdk error a call rejected with. */
export const anthropicFailure = (promise: Promise<unknown>): Promise<AnthropicAPIError> =>
  failureOf(promise, AnthropicAPIError);
