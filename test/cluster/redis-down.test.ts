import { askHttp } from '../adapters/support/http-ask.ts';
import { TEXT_PLAIN } from '../adapters/support/post-send.ts';
import { redisTestSerial, startRedis } from '../support/redis-server.ts';
import { startNode, waitForReady } from './support/cluster.ts';
import { ackOf, openV2, waitForText } from './support/room-log.ts';

// A node whose Redis is not there when it starts.

const ROOM = 'late';

redisTestSerial('a node started while Redis is down serves once Redis is up', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  await redis.kill();
  const late = await startNode(t, redis, 'late');
  t.is(await late.readiness(), 503, 'not ready without Redis');
  const early = await openV2(t, late, 'early');
  early.command({ type: 'join', room: ROOM });
  t.like(await early.next('error'), { for: 'join', room: ROOM, reason: 'unavailable' });
  const posted = await askHttp(`http://127.0.0.1:${late.port}/send?room=${ROOM}&id=p`, {
    method: 'POST',
    headers: TEXT_PLAIN,
    body: 'not stored',
  });
  t.is(posted.status, 503);
  t.is(posted.body, 'unavailable: the message was not stored');

  await redis.restart();
  await waitForReady(late);
  const other = await startNode(t, redis, 'other');
  const there = await openV2(t, other, 'there');
  await there.join(ROOM);
  await early.join(ROOM);
  there.command({ type: 'send', room: ROOM, text: 'hello late', id: 'h' });
  t.is(await ackOf(there, 'h'), 1, 'nothing was stored while Redis was down');
  await waitForText(early, ROOM, 'hello late', 'the member on the late node');
});
