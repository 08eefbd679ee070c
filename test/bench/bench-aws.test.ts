import { parseBenchArgs } from '../../bench/args.js';
import { costPerMillion, memoryForRss, type CostInputs } from '../../bench/aws-cost.js';
import { logFigures, storeFigures } from '../../bench/aws-figures.js';
import type { TimedExchange } from '../../bench/aws-client.js';
import type { StoreCall } from '../../bench/store-proxy.js';
import { readUnitsOfCall, writeUnitsOfCall } from '../../bench/write-units.js';

// The AWS mode's arithmetic: where a store call sits against its request, the write units DynamoDB would bill, the
// log bytes, and the cost per million requests.

const ms = (n: number): bigint => BigInt(Math.round(n * 1e6));
const exchangeAt = (start: number, firstByte: number, end: number): TimedExchange => ({
  startedAt: ms(start),
  firstByteAt: ms(firstByte),
  endedAt: ms(end),
});
const call = (op: string, arrived: number, ended: number, writeUnits = 0): StoreCall => ({
  op,
  arrivedAt: ms(arrived),
  endedAt: ms(ended),
  writeUnits,
  readUnits: 0,
});

describe('bench --aws', () => {
  it('parses --aws and --store-delay, and refuses --aws with --cold-start', () => {
    expect(parseBenchArgs(['--aws'])).toMatchObject({ aws: true, storeDelayMs: 5, load: false, coldStart: false });
    expect(parseBenchArgs(['--aws', '--store-delay', '0'])).toMatchObject({ storeDelayMs: 0 });
    expect(() => parseBenchArgs(['--aws', '--cold-start'])).toThrow(/--aws/);
  });

  it('puts each store call in its request and position: before the first byte, before the end, after the end', () => {
    const figures = storeFigures(
      [exchangeAt(0, 10, 20), exchangeAt(100, 110, 120)],
      [
        call('UpdateItem', 1, 6),
        call('TransactWriteItems', 12, 18, 6),
        call('TransactWriteItems', 21, 30, 7),
        call('GetItem', 105, 106),
      ],
    );
    expect(figures.byPosition).toEqual({
      beforeFirstByte: { UpdateItem: 0.5, GetItem: 0.5 },
      beforeEnd: { TransactWriteItems: 0.5 },
      afterEnd: { TransactWriteItems: 0.5 },
    });
    expect(figures.callsPerRequest).toEqual({ UpdateItem: 0.5, TransactWriteItems: 1, GetItem: 0.5 });
    expect(figures.writeUnitsPerRequest).toBe(6.5);
    expect(figures.afterEndMs).toBeCloseTo(5); // 10 ms after the first request's end, over two requests
  });

  it('write units: per KB of the item after the write, ×2 in a transaction, + one per GSI copy', async () => {
    const record = { pk: { S: 'REQ#1' }, sk: { S: 'REQ' }, gsi1pk: { S: 't' }, gsi1sk: { S: 'x' } };
    const counter = { pk: { S: 'T#t' }, sk: { S: 'DAY#1' }, n: { N: '5' } };
    const read = async () => counter;
    // The record (one GSI copy): 2 + 1; the counter, read back after the update: 2.
    await expect(
      writeUnitsOfCall(
        'TransactWriteItems',
        {
          TransactItems: [
            { Put: { TableName: 'GatewayTable', Item: record } },
            { Update: { TableName: 'GatewayTable', Key: { pk: counter.pk, sk: counter.sk } } },
          ],
        },
        read,
      ),
    ).resolves.toBe(5);
    const big = { pk: { S: 'K' }, sk: { S: 'K' }, blob: { S: 'x'.repeat(1500) } };
    await expect(writeUnitsOfCall('PutItem', { TableName: 'GatewayTable', Item: big }, read)).resolves.toBe(2);
    await expect(writeUnitsOfCall('GetItem', { TableName: 'GatewayTable' }, read)).resolves.toBe(0);
    expect(readUnitsOfCall('GetItem', { ConsistentRead: true }, JSON.stringify({ Item: counter }))).toBe(1);
    expect(readUnitsOfCall('GetItem', {}, JSON.stringify({ Item: counter }))).toBe(0.5);
  });

  it('log bytes per request, EMF documents apart', () => {
    const output = '{"_aws":{}}\n{"message":"request completed"}\n{"_aws":{}}\n';
    expect(logFigures(output, 2)).toEqual({
      emfBytes: 12,
      otherBytes: 16,
      totalBytes: 28,
      emfLines: 1,
      otherLines: 0.5,
    });
  });

  it('cost per million: Lambda by GB-s with the CPU stretched below one vCPU, and the memory from the peak RSS', () => {
    const inputs: CostInputs = {
      cpuMsPerRequest: 5,
      addedMs: 15,
      afterEndMs: 0,
      writeUnits: 3,
      readUnits: 0,
      logBytes: 900,
      peakRssMiB: 150,
    };
    const line = costPerMillion(inputs, 2, 1024);
    // 2,000 + 10 waiting + 5 × 1769/1024 (8.64) → 2,019 ms at 1 GB: $26.92 + $0.20 per request.
    expect(line.durationMs).toBe(2019);
    expect(line.lambda).toBeCloseTo(2.019 * 13.3334 + 0.2, 2);
    expect(line.apiGateway).toBeCloseTo(3.5);
    expect(line.dynamo).toBeCloseTo(3 * 0.625);
    expect(line.total).toBeCloseTo(line.lambda + line.apiGateway + line.dynamo + line.logs);
    expect(memoryForRss(150)).toBe(256);
    expect(memoryForRss(400)).toBe(640);
  });
});
