import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/core/error';
import { registerSdkErrors, type SdkErrorClasses } from '../upstream-error.js';

/** The `openai` SDK's error classes, registered with upstream-error.ts when a module that loads the SDK is loaded. */
export const OPENAI_ERRORS: SdkErrorClasses = {
  api: APIError,
  connection: APIConnectionError,
  timeout: APIConnectionTimeoutError,
  abort: APIUserAbortError,
};
registerSdkErrors(OPENAI_ERRORS);
