import { get } from 'node:http';
import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connectRegistered, sleep } from '../support/ws-client.ts';

const readyz = (url: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    get(`${url}/readyz`, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });

test('/readyz says full while --max-connections are open, and ready again once one leaves', async (t) => {
  const server = await startServer({ maxConnections: 2, maxConnectionsPerIp: 0 });
  t.teardown(() => server.stop());
  t.deepEqual(await readyz(server.httpUrl), { status: 200, body: 'ready' });
  const a = await connectRegistered(server);
  const b = await connectRegistered(server);
  t.deepEqual(await readyz(server.httpUrl), { status: 503, body: 'full' });
  await a.close();
  // The server lets go of the socket just after the client sees it close: ask until it has.
  let answer = await readyz(server.httpUrl);
  for (let i = 0; i < 100 && answer.status !== 200; i++) {
    await sleep(20);
    answer = await readyz(server.httpUrl);
  }
  t.deepEqual(answer, { status: 200, body: 'ready' });
  await b.close();
});
