import type {
  ContentBlock,
  DocumentBlock,
  ImageBlock,
  ImageFormat,
  SystemContentBlock,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { CacheControl, MixedPart } from '../../api/chat-content-schemas.js';
import { badRequest } from '../../core/errors.js';

/**
 * OpenAI message content → Converse content blocks. A part's `cache_control` becomes a `cachePoint` block right after
 * it (Anthropic-on-Bedrock prompt caching: the prefix up to the point is cached; the TTL goes as given). Images and
 * files travel as bytes: only base64 data URLs (Bedrock fetches no URL). `detail` has no Converse equivalent.
 */
type Cached = { readonly cache_control?: CacheControl | undefined };
type TextContent = string | ReadonlyArray<{ readonly type: 'text'; readonly text: string } & Cached>;
type MixedContent = string | readonly MixedPart[];

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
const IMAGE_FORMATS: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The cache point a part's `cache_control` asks for, as the block to put after it (none without one). */
export function cachePointAfter(part: Cached): { cachePoint: { type: 'default'; ttl?: '5m' | '1h' } }[] {
  const cache = part.cache_control;
  if (cache === undefined) return [];
  return [{ cachePoint: { type: 'default', ...(cache.ttl === undefined ? {} : { ttl: cache.ttl }) } }];
}

export function imageBlock(url: string, param: string): ImageBlock {
  const data = DATA_URL.exec(url);
  if (data === null) {
    throw badRequest(
      'Bedrock targets take images only inline, as base64 data URLs (data:image/png;base64,…); it fetches no URL.',
      'unsupported_image',
      param,
    );
  }
  const mime = (data[1] ?? '').toLowerCase();
  const format = Object.hasOwn(IMAGE_FORMATS, mime) ? IMAGE_FORMATS[mime] : undefined;
  if (format === undefined) {
    throw badRequest(
      `Images must be PNG, JPEG, GIF or WebP for Bedrock targets, got ${JSON.stringify(mime.slice(0, 100))}.`,
      'unsupported_image',
      param,
    );
  }
  return { format, source: { bytes: Buffer.from(data[2] ?? '', 'base64') } };
}

/** A Converse document name: letters, digits, single spaces, hyphens, parentheses and brackets only. */
const documentName = (filename: string | undefined, fallback: string): string => {
  const cleaned = (filename ?? '')
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? fallback : cleaned;
};

/** A file part → a document block: a PDF or plain text base64 data URL; anything else is a 400 naming the part. */
export function documentBlock(part: Extract<MixedPart, { type: 'file' }>, param: string, name: string): DocumentBlock {
  const data = DATA_URL.exec(part.file.file_data ?? '');
  const mime = (data?.[1] ?? '').toLowerCase();
  const format = mime === 'application/pdf' ? 'pdf' : mime === 'text/plain' ? 'txt' : undefined;
  if (data === null || format === undefined) {
    throw badRequest(
      part.file.file_id !== undefined
        ? 'file_id (an OpenAI Files id) is not supported by Bedrock targets; send the file inline as file_data.'
        : 'Files must be PDF or plain text base64 data URLs (data:application/pdf;base64,…) for Bedrock targets.',
      'unsupported_content',
      param,
    );
  }
  return {
    format,
    name: documentName(part.file.filename, name),
    source: { bytes: Buffer.from(data[2] ?? '', 'base64') },
    ...(part.context === undefined ? {} : { context: part.context }),
    ...(part.citations === undefined ? {} : { citations: part.citations }),
  };
}

/** Text content as text blocks (empty texts left out: Converse refuses them), each followed by its cache point. */
export function textBlocks(content: TextContent): ContentBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.flatMap((part) => [...(part.text === '' ? [] : [{ text: part.text }]), ...cachePointAfter(part)]);
}

/** System text as system blocks, each followed by its cache point. */
export function systemBlocks(content: TextContent): SystemContentBlock[] {
  return textBlocks(content) as SystemContentBlock[];
}

/** One part of user or tool content: text, image or document. `at`: the message's index (names a bad part). */
function partBlock(part: MixedPart, at: number, index: number): ContentBlock & ToolResultContentBlock {
  const param = `messages[${at}].content[${index}]`;
  if (part.type === 'text') return { text: part.text };
  if (part.type === 'image_url') return { image: imageBlock(part.image_url.url, `${param}.image_url.url`) };
  return { document: documentBlock(part, `${param}.file`, `document ${at}-${index}`) };
}

/** A user message's content: its parts as blocks, each followed by its cache point. */
export function userBlocks(content: MixedContent, at: number): ContentBlock[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((part, index) => [partBlock(part, at, index), ...cachePointAfter(part)]);
}

/**
 * A tool result's content, and whether any of its parts asked for a cache point (Converse has none inside a tool
 * result: it goes right after the toolResult block).
 */
export function toolResultContent(
  content: MixedContent,
  at: number,
): { content: ToolResultContentBlock[]; cached: CacheControl | undefined } {
  if (typeof content === 'string') return { content: [{ text: content }], cached: undefined };
  return {
    content: content.map((part, index) => partBlock(part, at, index)),
    cached: content.findLast((part) => part.cache_control !== undefined)?.cache_control,
  };
}
