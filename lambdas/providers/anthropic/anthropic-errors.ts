import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk/core/error';
import { registerSdkErrors, type SdkErrorClasses } from '../upstream-error.js';

/**
 * The Anthropic SDK's error classes (from its error module: the package root would load its client), registered with upstream-error.ts when a module that loads the SDK is loaded. */
export const ANTHROPIC_ERRORS: SdkErrorClasses = {
  api: APIError,
  connection: APIConnectionError,
  timeout: APIConnectionTimeoutError,
  abort: APIUserAbortError,
};
registerSdkErrors(ANTHROPIC_ERRORS);
