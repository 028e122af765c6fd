import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { KoaWebServer } from '../adapters/http/koa-web-server.adapter.ts';
import { MemoryMessageLog } from '../adapters/memory/memory-message-log.adapter.ts';
import { MemoryTransport } from '../adapters/memory/memory-transport.adapter.ts';
import { PinoLogger } from '../adapters/pino/pino-logger.adapter.ts';
import { PrometheusMetrics } from '../adapters/prometheus/prometheus-metrics.adapter.ts';
import { SseTransport } from '../adapters/sse/sse-transport.adapter.ts';
import { SystemClock } from '../adapters/system/system-clock.adapter.ts';
import { TCP_PORT } from '../adapters/tcp/tcp-settings.ts';
import { TcpTransport } from '../adapters/tcp/tcp-transport.adapter.ts';
import { WsTransport } from '../adapters/ws/ws-transport.adapter.ts';
import { Admission } from './admission.ts';
import type { Config, Setting } from './config.ts';
import { HubService } from './hub-service.ts';
import { HubbubServer } from './hubbub-server.ts';
import type { Clock } from './ports/clock.port.ts';
import type { Logger } from './ports/logger.port.ts';
import { TOKENS } from './tokens.ts';

/** Replacements for the outside world, for tests and embedders. */
export type Overrides = Partial<Readonly<{ logger: Logger; clock: Clock }>>;

/** The composition root: the one place that picks an adapter for each port. */
export const hubbubModule = (config: Config, overrides: Overrides = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    if (overrides.clock) bind(TOKENS.Clock).toConstantValue(overrides.clock);
    else bind(TOKENS.Clock).to(SystemClock).inSingletonScope();
    if (overrides.logger) bind(TOKENS.Logger).toConstantValue(overrides.logger);
    else bind(TOKENS.Logger).to(PinoLogger).inSingletonScope();
    bind(TOKENS.PrometheusMetrics).to(PrometheusMetrics).inSingletonScope();
    bind(TOKENS.Metrics).toService(TOKENS.PrometheusMetrics);
    bind(TOKENS.HttpRoute)
      .toDynamicValue((context) => context.get<PrometheusMetrics>(TOKENS.PrometheusMetrics).route)
      .inSingletonScope();
    bind(TOKENS.Admission).to(Admission).inSingletonScope();
    bind(TOKENS.MessageLog).to(MemoryMessageLog).inSingletonScope();
    bind(TOKENS.HubService).to(HubService).inSingletonScope();
    bind(TOKENS.Hub).toService(TOKENS.HubService);
    bind(TOKENS.WebServer).to(KoaWebServer).inSingletonScope();
    bind(TOKENS.MemoryTransport).to(MemoryTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(TOKENS.MemoryTransport);
    bind(TOKENS.WsTransport).to(WsTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(TOKENS.WsTransport);
    bind(TOKENS.UpgradeRoute)
      .toDynamicValue((context) => context.get<WsTransport>(TOKENS.WsTransport).upgradeRoute)
      .inSingletonScope();
    bind(TOKENS.Transport).to(TcpTransport).inSingletonScope();
    bind(TOKENS.SseTransport).to(SseTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(TOKENS.SseTransport);
    bind(TOKENS.HttpRoute)
      .toDynamicValue((context) => context.get<SseTransport>(TOKENS.SseTransport).eventsRoute)
      .inSingletonScope();
    bind(TOKENS.HttpRoute)
      .toDynamicValue((context) => context.get<SseTransport>(TOKENS.SseTransport).sendRoute)
      .inSingletonScope();
    bind(TOKENS.HubbubServer).to(HubbubServer).inSingletonScope();
  });

/**
 * Settings that adapters declare in their own folders; the entry point parses them with the
 * core ones, so an adapter with a setting of its own needs no edit to src/app/config.ts.
 */
export const ADAPTER_SETTINGS: readonly Setting[] = [TCP_PORT];

export const createContainer = (config: Config, overrides: Overrides = {}): Container => {
  const container = new Container();
  container.load(hubbubModule(config, overrides));
  return container;
};
