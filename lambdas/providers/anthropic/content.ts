import type {
  Base64ImageSource,
  CacheControlEphemeral,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { CacheControl, MixedPart } from '../../api/chat-content-schemas.js';
import { badRequest } from '../../core/errors.js';

/** OpenAI message content → Anthropic content blocks; a part's `cache_control` stays on its block. */

type TextContent =
  | string
  | ReadonlyArray<{ readonly type: 'text'; readonly text: string; readonly cache_control?: CacheControl | undefined }>;
type MixedContent = string | readonly MixedPart[];
type Cached = { readonly cache_control?: CacheControl | undefined };
export type MixedBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam;

/** The part's cache breakpoint, for spreading into its block. */
export function cacheOf(part: Cached): { cache_control?: CacheControlEphemeral } {
  const cache = part.cache_control;
  if (cache === undefined) return {};
  return { cache_control: { type: 'ephemeral', ...(cache.ttl === undefined ? {} : { ttl: cache.ttl }) } };
}

const IMAGE_TYPES: ReadonlySet<string> = new Set<Base64ImageSource['media_type']>([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);
const isImageType = (mime: string): mime is Base64ImageSource['media_type'] => IMAGE_TYPES.has(mime);

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export const textBlock = (text: string, part: Cached = {}): TextBlockParam => ({
  type: 'text',
  text,
  ...cacheOf(part),
});

/** Text content (a string or text parts) as text blocks, one per part. */
export function textBlocks(content: TextContent): TextBlockParam[] {
  return typeof content === 'string' ? [textBlock(content)] : content.map((part) => textBlock(part.text, part));
}

/** Whether any part of the content carries a cache breakpoint. */
export const hasCacheControl = (content: TextContent): boolean =>
  typeof content !== 'string' && content.some((part) => part.cache_control !== undefined);

/** Text content as one string: parts joined by newlines. */
export const plainText = (content: TextContent): string =>
  typeof content === 'string' ? content : content.map((part) => part.text).join('\n');

/**
 * An image part: a base64 data URL of a type Anthropic accepts, or an http(s) URL Anthropic fetches itself. `detail`
 * has no Anthropic equivalent and is dropped. `param` names the field in the client's request for a 400.
 */
export function imageBlock(url: string, param: string): ImageBlockParam {
  const data = DATA_URL.exec(url);
  if (data !== null) {
    const mime = (data[1] ?? '').toLowerCase();
    if (!isImageType(mime)) {
      throw badRequest(
        `Images must be JPEG, PNG, GIF or WebP for this model, got ${JSON.stringify(mime.slice(0, 100))}.`,
        'unsupported_image',
        param,
      );
    }
    return { type: 'image', source: { type: 'base64', media_type: mime, data: data[2] ?? '' } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw badRequest(
    'An image URL must be an http(s) URL or a base64 data URL (data:<type>;base64,<data>).',
    'invalid_image_url',
    param,
  );
}

/**
 * A file part → a document block: a PDF (base64 data URL) or plain text. An OpenAI Files id has no Anthropic
 * equivalent, and other types Anthropic cannot read: a 400 naming the part (the answer would miss the file).
 */
export function documentBlock(part: Extract<MixedPart, { type: 'file' }>, param: string): DocumentBlockParam {
  const file = part.file;
  const data = DATA_URL.exec(file.file_data ?? '');
  const mime = (data?.[1] ?? '').toLowerCase();
  const title = {
    ...(file.filename === undefined ? {} : { title: file.filename }),
    ...(part.context === undefined ? {} : { context: part.context }),
    ...(part.citations === undefined ? {} : { citations: part.citations }),
    ...cacheOf(part),
  };
  if (data !== null && mime === 'application/pdf') {
    const block: DocumentBlockParam = {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: data[2] ?? '' },
      ...title,
    };
    return block;
  }
  if (data !== null && mime === 'text/plain') {
    const text = Buffer.from(data[2] ?? '', 'base64').toString('utf8');
    const block: DocumentBlockParam = {
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: text },
      ...title,
    };
    return block;
  }
  throw badRequest(
    file.file_id !== undefined
      ? 'file_id (an OpenAI Files id) is not supported by Anthropic targets; send the file inline as file_data.'
      : 'Files must be PDF or plain text base64 data URLs (data:application/pdf;base64,…) for this model.',
    'unsupported_parameter',
    param,
  );
}

/**
 * A user's (or a tool result's) content: text, images and documents; `at` is the message's index in the request,
 * for naming a bad part.
 */
export function mixedBlocks(content: MixedContent, at: number): MixedBlock[] {
  if (typeof content === 'string') return [textBlock(content)];
  return content.map((part, index) => {
    const param = `messages[${at}].content[${index}]`;
    if (part.type === 'text') return textBlock(part.text, part);
    if (part.type === 'file') return documentBlock(part, `${param}.file`);
    return { ...imageBlock(part.image_url.url, `${param}.image_url.url`), ...cacheOf(part) };
  });
}
