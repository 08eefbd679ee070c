import type {
  Base64ImageSource,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';

/** OpenAI message content → Anthropic content blocks. */

type TextContent = string | ReadonlyArray<{ readonly type: 'text'; readonly text: string }>;
type UserContent = Extract<ChatMessage, { role: 'user' }>['content'];

const IMAGE_TYPES: ReadonlySet<string> = new Set<Base64ImageSource['media_type']>([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);
const isImageType = (mime: string): mime is Base64ImageSource['media_type'] => IMAGE_TYPES.has(mime);

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export const textBlock = (text: string): TextBlockParam => ({ type: 'text', text });

/** Text content (a string or text parts) as text blocks, one per part. */
export function textBlocks(content: TextContent): TextBlockParam[] {
  return typeof content === 'string' ? [textBlock(content)] : content.map((part) => textBlock(part.text));
}

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
export function documentBlock(
  file: { file_data?: string | undefined; file_id?: string | undefined; filename?: string | undefined },
  param: string,
): DocumentBlockParam {
  const data = DATA_URL.exec(file.file_data ?? '');
  const mime = (data?.[1] ?? '').toLowerCase();
  const title = file.filename === undefined ? {} : { title: file.filename };
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

/** A user message's content; `at` is the message's index in the request, for naming a bad part. */
export function userBlocks(
  content: UserContent,
  at: number,
): Array<TextBlockParam | ImageBlockParam | DocumentBlockParam> {
  if (typeof content === 'string') return [textBlock(content)];
  return content.map((part, index) => {
    const param = `messages[${at}].content[${index}]`;
    if (part.type === 'text') return textBlock(part.text);
    if (part.type === 'file') return documentBlock(part.file, `${param}.file`);
    return imageBlock(part.image_url.url, `${param}.image_url.url`);
  });
}
