import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as StreamValue, DynamoDBRecord } from 'aws-lambda';
import type { Item } from '../store/attributes.js';
import type { StreamInsert } from './aggregator-records.js';

/** A stream image's value in the SDK's form (they differ only in binaries: base64 text in the event). */
function sdkValue(value: StreamValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: Buffer.from(value.B, 'base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if (value.L !== undefined) return { L: value.L.map(sdkValue) };
  if (value.M !== undefined) return { M: sdkImage(value.M) };
  throw new Error('a stream image holds an attribute value of no known type');
}

const sdkImage = (image: Record<string, StreamValue>): Item =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, sdkValue(value)]));

/** The inserts of a stream event with their new images (NEW_IMAGE view), in the event's order. */
export const streamInserts = (records: readonly DynamoDBRecord[]): StreamInsert[] =>
  records.flatMap((record) => {
    const seq = record.dynamodb?.SequenceNumber;
    const image = record.dynamodb?.NewImage;
    return record.eventName === 'INSERT' && seq !== undefined && image !== undefined
      ? [{ seq, image: sdkImage(image) }]
      : [];
  });
