import test from 'ava';
import { Admission } from '../../../src/adapters/kit/admission.ts';
import { type Config, defaultConfig } from '../../../src/app/config.ts';
import type { Metrics, RejectionReason } from '../../../src/app/ports/metrics.port.ts';
import type { Hub } from '../../../src/app/ports/transport.port.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';

const at = (remoteAddress: string) => ({ remoteAddress, remotePort: 40_000 });

const setUp = (settings: Partial<Config>) => {
  const hub = { isClosed: false } as Hub & { isClosed: boolean };
  const rejections: Array<[string, RejectionReason]> = [];
  const metrics: Pick<Metrics, 'rejected'> = {
    rejected: (transport, reason) => {
      rejections.push([transport, reason]);
    },
  };
  const logger = new RecordingLogger();
  const admission = new Admission(defaultConfig(settings), hub, metrics as Metrics, logger);
  return { admission, hub, rejections, logger };
};

test('past --max-connections every transport together gets 503, until a place is given back', (t) => {
  const { admission, rejections } = setUp({ maxConnections: 2, maxConnectionsPerIp: 0 });
  t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  t.is(admission.admit('tcp', at('10.0.0.2')), undefined);
  t.like(admission.admit('sse', at('10.0.0.3')), { status: 503, reason: 'max_connections' });
  admission.release('10.0.0.1');
  t.is(admission.admit('sse', at('10.0.0.3')), undefined);
  t.is(admission.open, 2);
  t.deepEqual(rejections, [['sse', 'max_connections']]);
});

test('past --max-connections-per-ip one address gets 429 while others still get in', (t) => {
  const { admission, logger } = setUp({ maxConnections: 0, maxConnectionsPerIp: 2 });
  t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  t.is(admission.admit('ws', at('::ffff:10.0.0.1')), undefined, 'the same client over IPv6');
  t.like(admission.admit('ws', at('10.0.0.1')), { status: 429, reason: 'max_connections_per_ip' });
  t.is(admission.admit('ws', at('10.0.0.2')), undefined);
  admission.release('::ffff:10.0.0.1');
  t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  const rejected = logger.lines.filter((line) => line.message === 'connection rejected');
  t.is(rejected.length, 1, 'logged once');
  t.like(rejected[0]?.fields, { transport: 'ws', reason: 'max_connections_per_ip' });
});

test('0 means no limit', (t) => {
  const { admission } = setUp({ maxConnections: 0, maxConnectionsPerIp: 0 });
  for (let i = 0; i < 1_000; i++) t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  t.is(admission.open, 1_000);
});

test('once the hub is shutting down every client gets 503 shutting_down', (t) => {
  const { admission, hub, rejections } = setUp({});
  hub.isClosed = true;
  t.like(admission.admit('ws', at('10.0.0.1')), { status: 503, reason: 'shutting_down' });
  t.deepEqual(rejections, [['ws', 'shutting_down']]);
  t.is(admission.open, 0);
});

test('releasing more than was admitted is logged as a bug and frees no other place', (t) => {
  const { admission, logger } = setUp({ maxConnections: 1, maxConnectionsPerIp: 1 });
  admission.release('10.0.0.1');
  t.is(admission.open, 0);
  t.true(
    logger.lines.some(
      (line) => line.level === 'error' && line.message === 'connection place released twice',
    ),
  );
  t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  t.like(admission.admit('ws', at('10.0.0.2')), { reason: 'max_connections' });
});
