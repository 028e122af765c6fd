import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import test from 'ava';
import { Admission } from '../../../src/adapters/kit/admission.ts';
import { type Config, defaultConfig } from '../../../src/app/config.ts';
import type { Metrics, RejectionReason } from '../../../src/app/ports/metrics.port.ts';
import type { Hub } from '../../../src/app/ports/transport.port.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';

const at = (remoteAddress: string) => ({ remoteAddress, remotePort: 40_000 });

/** A socket as far as the per-address count looks: an address, and a 'close' to emit. */
const socketAt = (remoteAddress: string): Socket & EventEmitter =>
  Object.assign(new EventEmitter(), at(remoteAddress)) as unknown as Socket & EventEmitter;

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
  admission.release();
  t.is(admission.admit('sse', at('10.0.0.3')), undefined);
  t.is(admission.open, 2);
  t.deepEqual(rejections, [['sse', 'max_connections']]);
});

test('past --max-connections-per-ip one address has its next socket refused with 429 while others get in, until one closes', (t) => {
  const { admission, logger } = setUp({ maxConnections: 0, maxConnectionsPerIp: 2 });
  const first = socketAt('10.0.0.1');
  t.is(admission.admitSocket('http', first), undefined);
  t.is(admission.admitSocket('tcp', socketAt('::ffff:10.0.0.1')), undefined, 'the same client');
  t.like(admission.admitSocket('http', socketAt('10.0.0.1')), {
    status: 429,
    reason: 'max_connections_per_ip',
  });
  t.is(admission.admitSocket('http', socketAt('10.0.0.2')), undefined);
  t.is(admission.socketsFrom('::ffff:10.0.0.1'), 2);
  first.emit('close');
  t.is(admission.socketsFrom('10.0.0.1'), 1);
  t.is(admission.admitSocket('http', socketAt('10.0.0.1')), undefined);
  const rejected = logger.lines.filter((line) => line.message === 'connection rejected');
  t.is(rejected.length, 1, 'logged once');
  t.like(rejected[0]?.fields, { transport: 'http', reason: 'max_connections_per_ip' });
});

test('a refused socket takes no place, and a closed or released one gives its place back once', (t) => {
  const { admission } = setUp({ maxConnections: 0, maxConnectionsPerIp: 2 });
  const [first, second] = [socketAt('10.0.0.1'), socketAt('10.0.0.1')];
  admission.admitSocket('http', first);
  admission.admitSocket('http', second);
  t.like(admission.admitSocket('http', socketAt('10.0.0.1')), { status: 429 });
  first.emit('close');
  first.emit('close');
  t.is(admission.socketsFrom('10.0.0.1'), 1, 'a second close frees nothing more');
  admission.releaseSocket(second);
  second.emit('close');
  admission.releaseSocket(second);
  t.is(admission.socketsFrom('10.0.0.1'), 0, 'released early, then closed: one place back');
  admission.releaseSocket(socketAt('10.0.0.1'));
  t.is(admission.socketsFrom('10.0.0.1'), 0, 'a socket never counted frees nothing');
  t.is(admission.admitSocket('http', socketAt('10.0.0.1')), undefined);
  t.is(admission.admitSocket('http', socketAt('10.0.0.1')), undefined);
  t.like(admission.admitSocket('http', socketAt('10.0.0.1')), { status: 429 });
});

test('0 means no limit', (t) => {
  const { admission } = setUp({ maxConnections: 0, maxConnectionsPerIp: 0 });
  for (let i = 0; i < 1_000; i++) {
    t.is(admission.admitSocket('ws', socketAt('10.0.0.1')), undefined);
    t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  }
  t.is(admission.open, 1_000);
  t.is(admission.socketsFrom('10.0.0.1'), 1_000);
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
  admission.release();
  t.is(admission.open, 0);
  t.true(
    logger.lines.some(
      (line) => line.level === 'error' && line.message === 'connection place released twice',
    ),
  );
  t.is(admission.admit('ws', at('10.0.0.1')), undefined);
  t.like(admission.admit('ws', at('10.0.0.2')), { reason: 'max_connections' });
});

test('refusals are counted every time but logged once per address per interval, then with their count', (t) => {
  const { admission, rejections, logger } = setUp({});
  for (let i = 0; i < 50; i++) {
    admission.rejected('sse', 'rate_limited', { remote: `10.0.0.1:${40_000 + i}` });
  }
  admission.rejected('ws', 'origin_not_allowed', { remote: '[::1]:5000' });
  t.is(rejections.length, 51);
  const single = () => logger.lines.filter((line) => line.message === 'connection rejected');
  t.deepEqual(
    single().map((line) => line.fields?.remote),
    ['10.0.0.1:40000', '[::1]:5000'],
  );
  admission.stop();
  const summaries = logger.lines.filter((line) => line.message === 'connections rejected');
  t.is(summaries.length, 1);
  t.like(summaries[0]?.fields, { address: '10.0.0.1', count: 49, reasons: 'rate_limited' });
  admission.rejected('sse', 'rate_limited', { remote: '10.0.0.1:1' });
  t.is(single().length, 3, 'a new interval logs the address again at once');
});
