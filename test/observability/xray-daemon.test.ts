import { daemonAddress } from '../../lambdas/observability/xray-daemon.js';
import { sampledParent } from '../../lambdas/observability/xray-subsegment.js';

// What the X-Ray tracer reads from its environment: the daemon's address and the invocation's trace header.

describe('the daemon address (AWS_XRAY_DAEMON_ADDRESS, as the X-Ray SDK reads it)', () => {
  it.each([
    [undefined, { host: '127.0.0.1', port: 2000 }],
    ['169.254.79.129:2000', { host: '169.254.79.129', port: 2000 }],
    ['xray-daemon:3000', { host: 'xray-daemon', port: 3000 }],
    ['tcp:127.0.0.1:2000 udp:127.0.0.2:2001', { host: '127.0.0.2', port: 2001 }],
    ['udp:127.0.0.2:2001 tcp:127.0.0.1:2000', { host: '127.0.0.2', port: 2001 }],
  ])('%s → %o', (value, address) => {
    expect(daemonAddress(value === undefined ? {} : { AWS_XRAY_DAEMON_ADDRESS: value })).toEqual(address);
  });

  it.each(['127.0.0.1', ':2000', '127.0.0.1:0', '127.0.0.1:70000', '127.0.0.1:abc', 'tcp:127.0.0.1:2000 x:1:2'])(
    'malformed (%s): nowhere to send',
    (value) => expect(daemonAddress({ AWS_XRAY_DAEMON_ADDRESS: value })).toBeUndefined(),
  );
});

describe("the invocation's trace header (_X_AMZN_TRACE_ID)", () => {
  const root = '1-5759e988-bd862e3fe1be46a994272793';
  const parent = '53995c3f42cd8ad8';

  it('sampled: its trace id and parent, keys in any case and order, other fields ignored', () => {
    expect(sampledParent(`Root=${root};Parent=${parent};Sampled=1`)).toEqual({ traceId: root, parentId: parent });
    expect(sampledParent(`sampled=1; parent=${parent}; root=${root}; Lineage=a87bd80c:0`)).toEqual({
      traceId: root,
      parentId: parent,
    });
  });

  it.each([
    ['not sampled', `Root=${root};Parent=${parent};Sampled=0`],
    ['no decision (Lambda passthrough)', `Root=${root}`],
    ['no parent', `Root=${root};Sampled=1`],
    ['a parent not 16 hex digits', `Root=${root};Parent=53995c3f;Sampled=1`],
    ['a malformed root', `Root=1-5759e988-xyz;Parent=${parent};Sampled=1`],
    ['empty', ''],
    ['absent', undefined],
  ])('%s: none (nothing is sent)', (_case, header) => expect(sampledParent(header)).toBeUndefined());
});
