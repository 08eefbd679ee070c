import type { MixedPart } from '../../api/chat-content-schemas.js';
import type { z } from 'zod';
import type { cacheControl, documentBlock } from '../../api/messages-content-schemas.js';
import { badRequest } from '../../core/errors.js';

/**
 * Anthropic's document blocks and cache breakpoints → the canonical request's file parts and `cache_control`:
 * - a base64 PDF → a file part with a PDF data URL; plain text, and `content` sources (their text blocks), → a
 *   text/plain data URL; an Anthropic target turns both back into the same document;
 * - `title` → the file's `filename`; `context` and `citations` ride on the part (Anthropic targets pass them);
 * - a PDF by URL has no canonical form (OpenAI's file parts cannot fetch): a 400 naming the block.
 */
type DocumentBlock = z.output<typeof documentBlock>;
type FilePart = Extract<MixedPart, { type: 'file' }>;
type Cache = z.output<typeof cacheControl>;

/** A block's cache breakpoint as the canonical `cache_control` (`null`: none). */
export function cacheOf(cache: Cache): { cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } } {
  if (cache == null) return {};
  return { cache_control: { type: 'ephemeral', ...(cache.ttl === undefined ? {} : { ttl: cache.ttl }) } };
}

const textDataUrl = (text: string): string => `data:text/plain;base64,${Buffer.from(text, 'utf8').toString('base64')}`;

function fileDataOf(block: DocumentBlock, param: string): string {
  const source = block.source;
  switch (source.type) {
    case 'base64':
      return `data:application/pdf;base64,${source.data}`;
    case 'text':
      return textDataUrl(source.data);
    case 'content': {
      if (typeof source.content === 'string') return textDataUrl(source.content);
      const texts = source.content.map((inner, index) => {
        if (inner.type === 'text') return inner.text;
        throw badRequest(
          'A document made of content blocks may hold text only on this gateway.',
          'unsupported_content',
          `${param}.source.content[${index}]`,
        );
      });
      return textDataUrl(texts.join('\n\n'));
    }
    case 'url':
      throw badRequest(
        'Documents by URL are not supported by this gateway: send the PDF as base64 (source.type "base64").',
        'unsupported_content',
        `${param}.source`,
      );
  }
}

export function filePartOf(block: DocumentBlock, param: string): FilePart {
  return {
    type: 'file',
    file: { file_data: fileDataOf(block, param), ...(block.title == null ? {} : { filename: block.title }) },
    ...(block.context == null ? {} : { context: block.context }),
    ...(block.citations == null ? {} : { citations: { enabled: block.citations.enabled ?? false } }),
    ...cacheOf(block.cache_control),
  };
}
