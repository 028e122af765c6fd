// The metrics listener over real sockets: its own port, not the chat's; one rendering shared by
// concurrent scrapes; the same protective headers as every other answer; on and off with the
// server.
import { Agent, type IncomingHttpHeaders } from 'node:http';
import test, { type ExecutionContext } from 'ava';
import { SECURITY_HEADERS } from '../../../src/adapters/kit/security-headers.ts';
import { PROMETHEUS_TOKENS } from '../../../src/adapters/prometheus/prometheus.module.ts';
import type { PrometheusMetrics } from '../../../src/adapters/prometheus/prometheus-metrics.adapter.ts';
import { RENDER_CACHE_MS } from '../../../src/adapters/prometheus/render-cache.ts';
import {
  type RunningServer,
  type ServerOverrides,
  startServer,
} from '../../support/start-server.ts';
import { askHttp, type HttpAnswer } from '../support/http-ask.ts';
import { RawClient } from '../support/raw-client.ts';
import { connectRegistered, within } from '../support/ws-client.ts';
import { parseExposition, scrape } from './scrape.ts';

type Answer = HttpAnswer;

/** One request on a connection of its own (or of `agent`'s): status, headers and body. */
const ask = (url: string, method = 'GET', agent: Agent | false = false): Promise<Answer> =>
  askHttp(url, { method, agent });

const start = async (
  t: ExecutionContext,
  overrides: ServerOverrides = {},
  clock?: { now: () => number },
): Promise<RunningServer> => {
  const server = await startServer(overrides, clock === undefined ? {} : { clock });
  t.teardown(() => server.stop());
  return server;
};

const metricsUrlOf = (server: RunningServer): string => {
  if (server.metricsUrl === undefined) throw new Error('the metrics listener is off');
  return server.metricsUrl;
};

/** Counts the renderings of this server's own registry (the process's registry is shared). */
const countRenders = (server: RunningServer): (() => number) => {
  const { registry } = server.container.get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics);
  const metrics = registry.metrics.bind(registry);
  let renders = 0;
  registry.metrics = () => {
    renders += 1;
    return metrics();
  };
  return () => renders;
};

const assertProtected = (t: ExecutionContext, headers: IncomingHttpHeaders): void => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    t.is(headers[name.toLowerCase()], value, name);
  }
  t.is(headers['cache-control'], 'no-store');
};

test('GET /metrics on the chat port is 404, like any unknown path', async (t) => {
  const server = await start(t);
  const onChat = await ask(`${server.httpUrl}/metrics`);
  t.is(onChat.status, 404);
  t.notRegex(onChat.body, /hubbub_connections/);
  t.is((await ask(`${server.httpUrl}/no-such-page`)).status, 404, 'the same as an unknown path');
});

test('the metrics listener answers GET /metrics on 127.0.0.1 with the samples and the protective headers', async (t) => {
  const server = await start(t);
  const client = await connectRegistered(server);
  t.teardown(() => client.close());
  const url = metricsUrlOf(server);
  t.regex(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  t.not(new URL(url).port, String(server.port));

  const scraped = await scrape(url);
  t.is(scraped.status, 200);
  t.regex(String(scraped.headers['content-type']), /^text\/plain; version=0\.0\.4; charset=utf-8$/);
  t.is(Number(scraped.headers['content-length']), Buffer.byteLength(scraped.body));
  assertProtected(t, scraped.headers);
  t.is(scraped.value('hubbub_connections', { transport: 'ws' }), 1);
  t.true((scraped.value('process_resident_memory_bytes') ?? 0) > 0);
  // A query string is ignored, as Prometheus may add one.
  t.is((await ask(`${url}?format=text`)).status, 200);
});

test('HEAD /metrics has the headers of GET and no body; other paths 404, other methods 405', async (t) => {
  const server = await start(t);
  const url = metricsUrlOf(server);
  const origin = new URL(url).origin;

  const head = await ask(url, 'HEAD');
  t.is(head.status, 200);
  t.is(head.body, '');
  t.regex(String(head.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  t.true(Number(head.headers['content-length']) > 0);
  assertProtected(t, head.headers);

  for (const path of ['/', '/metrics/', '/healthz', '/index.html']) {
    const unknown = await ask(`${origin}${path}`);
    t.is(unknown.status, 404, path);
    assertProtected(t, unknown.headers);
  }
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const refused = await ask(url, method);
    t.is(refused.status, 405, method);
    t.is(refused.headers.allow, 'GET, HEAD');
    assertProtected(t, refused.headers);
  }
});

test('30 concurrent scrapes cause one rendering; the next comes once RENDER_CACHE_MS has passed', async (t) => {
  // A clock that moves only when the test moves it: no scrape can fall outside the window.
  const clock = { ms: 1_000_000, now: () => clock.ms };
  const server = await start(t, {}, clock);
  const renders = countRenders(server);
  const url = metricsUrlOf(server);

  const scrapes = await Promise.all(Array.from({ length: 30 }, () => scrape(url)));
  t.true(scrapes.every((scraped) => scraped.status === 200));
  t.is(renders(), 1, 'one rendering for all 30');
  t.is(new Set(scrapes.map((scraped) => scraped.body)).size, 1, 'the same text to each');

  clock.ms += RENDER_CACHE_MS - 1;
  await scrape(url);
  t.is(renders(), 1, 'still within the window');
  clock.ms += 1;
  await scrape(url);
  t.is(renders(), 2, 'a fresh rendering once the window has passed');
});

test('with metricsPort off nothing serves the metrics; the chat port still does not', async (t) => {
  const server = await start(t, { metricsPort: undefined });
  t.is(server.metricsUrl, undefined);
  t.is((await ask(`${server.httpUrl}/metrics`)).status, 404);
});

test('a request the listener cannot parse is answered 400 with the protective headers; it serves on', async (t) => {
  const server = await start(t);
  const url = new URL(metricsUrlOf(server));
  const bad = await RawClient.open(Number(url.port));
  t.teardown(() => bad.destroy());
  bad.write('NONSENSE\r\n\r\n');
  await within(bad.closedAt, 'the listener to close the bad connection');
  t.regex(bad.statusLine, /^HTTP\/1\.1 400 /);
  t.regex(bad.answer, /\r\nX-Content-Type-Options: nosniff\r\n/);
  t.regex(bad.answer, /\r\nCache-Control: no-store\r\n/);
  t.is((await scrape(url.href)).status, 200);
});

test('the listener stops with the server, idle keep-alive connections included', async (t) => {
  const server = await startServer();
  const url = metricsUrlOf(server);
  const agent = new Agent({ keepAlive: true });
  t.teardown(() => agent.destroy());
  const scraped = await ask(url, 'GET', agent);
  t.is(scraped.status, 200);
  t.true(parseExposition(scraped.body).length > 0);
  await within(server.stop(), 'the server to stop with a keep-alive scraper connected');
  const error = await t.throwsAsync(ask(url));
  t.is((error as NodeJS.ErrnoException | undefined)?.code, 'ECONNREFUSED');
});

test('a rendering that fails is answered 500 without its details, logged, and not kept', async (t) => {
  const server = await start(t);
  const { registry } = server.container.get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics);
  const metrics = registry.metrics.bind(registry);
  registry.metrics = () => Promise.reject(new Error('secret detail'));
  const failed = await ask(metricsUrlOf(server));
  t.is(failed.status, 500);
  t.is(failed.body, 'metrics failed\n');
  assertProtected(t, failed.headers);
  t.like(
    server.logger.lines.find((line) => line.message === 'metrics rendering failed'),
    { level: 'error', fields: { error: 'Error: secret detail' } },
  );
  registry.metrics = metrics;
  t.is((await scrape(server.metricsUrl)).status, 200, 'the next scrape renders again');
});
