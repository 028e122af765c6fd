import 'reflect-metadata';
import { Container } from 'inversify';
import { httpAdapter } from './adapters/http/http.module.ts';
import { kitAdapter } from './adapters/kit/kit.module.ts';
import { memoryAdapter } from './adapters/memory/memory.module.ts';
import { pinoAdapter } from './adapters/pino/pino.module.ts';
import { PinoLogger } from './adapters/pino/pino-logger.adapter.ts';
import { shareMetricsWithPrimary, WorkersMetrics } from './adapters/prometheus/cluster-metrics.ts';
import { MetricsListener } from './adapters/prometheus/metrics-listener.adapter.ts';
import { PROMETHEUS_TOKENS, prometheusAdapter } from './adapters/prometheus/prometheus.module.ts';
import type { PrometheusMetrics } from './adapters/prometheus/prometheus-metrics.adapter.ts';
import { REDIS_TOKENS, redisAdapter } from './adapters/redis/redis.module.ts';
import { checkRedisCluster } from './adapters/redis/redis.settings.ts';
import { sseAdapter } from './adapters/sse/sse.module.ts';
import { systemAdapter } from './adapters/system/system.module.ts';
import { SystemClock } from './adapters/system/system-clock.adapter.ts';
import { tcpAdapter } from './adapters/tcp/tcp.module.ts';
import { wsAdapter } from './adapters/ws/ws.module.ts';
import { moduleOf, readSettingsOf, type SettingsOf } from './app/adapter.ts';
import { appModule } from './app/app.module.ts';
import { CORE_SETTINGS, type SettingGroup } from './app/config.ts';
import type { Clock } from './app/ports/clock.port.ts';
import type { Logger } from './app/ports/logger.port.ts';
import { TOKENS } from './app/tokens.ts';
import { type ParsedCommandLine, parseCommandLine } from './command-line.ts';
import {
  checkSharedEngine,
  type WorkerSettings,
  workerSettings,
} from './workers/workers.settings.ts';

/**
 * The composition root: with the entry point, the one module that names adapters. Each adapter
 * folder exports its definition (its settings and its bindings); adding one is a line here.
 */
export const ADAPTERS = [
  kitAdapter,
  systemAdapter,
  pinoAdapter,
  prometheusAdapter,
  memoryAdapter,
  redisAdapter,
  httpAdapter,
  wsAdapter,
  sseAdapter,
  tcpAdapter,
] as const;

/** Every setting's value: the core's, each adapter's, and how many processes serve. */
export type Settings = SettingsOf<typeof ADAPTERS> & WorkerSettings;

export const SETTING_GROUPS: readonly SettingGroup[] = [
  CORE_SETTINGS,
  workerSettings,
  ...ADAPTERS.map((adapter) => adapter.settings),
];

export type ParsedSettings =
  | Exclude<ParsedCommandLine, { kind: 'settings' }>
  | Readonly<{ kind: 'settings'; settings: Settings }>;

/** Reads every setting from flags, then environment variables, then defaults; validates all. */
export const parseSettings = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedSettings => {
  const parsed = parseCommandLine(argv, env, SETTING_GROUPS);
  if (parsed.kind !== 'settings') return parsed;
  const settings = { ...readSettingsOf(ADAPTERS, parsed.read), ...parsed.read(workerSettings) };
  checkSharedEngine(settings.workers, settings.redisUrl);
  checkRedisCluster(settings);
  return { kind: 'settings', settings };
};

/** Every default, with `overrides`: for tests and embedders. */
export const defaultSettings = (overrides: Partial<Settings> = {}): Settings => {
  const parsed = parseSettings([], {});
  if (parsed.kind !== 'settings') throw new Error('unreachable: no --help was given');
  return { ...parsed.settings, ...overrides };
};

/** Replacements for the outside world, for tests and embedders. */
export type Overrides = Partial<Readonly<{ logger: Logger; clock: Clock }>>;

export const createContainer = (settings: Settings, overrides: Overrides = {}): Container => {
  const container = new Container();
  container.load(appModule(settings), ...ADAPTERS.map((adapter) => moduleOf(adapter, settings)));
  // The memory engine is the default; a Redis URL puts rooms in Redis instead.
  if (settings.redisUrl !== undefined) {
    container.rebind(TOKENS.Engine).toService(REDIS_TOKENS.RedisEngine);
  }
  if (overrides.clock) container.rebind(TOKENS.Clock).toConstantValue(overrides.clock);
  if (overrides.logger) container.rebind(TOKENS.Logger).toConstantValue(overrides.logger);
  return container;
};

/** The logger every process writes with, the primary of `--workers N` included. */
export const createLogger = (settings: Settings): Logger => new PinoLogger(settings);

/** In a worker: its metrics go to the primary, which serves every worker's together. */
export const shareWorkerMetrics = (container: Container): void =>
  shareMetricsWithPrimary(container.get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics));

/** The primary's metrics listener (`--metrics-port`): every worker's metrics, summed. */
export const createWorkersMetricsListener = (settings: Settings, logger: Logger): MetricsListener =>
  new MetricsListener(new WorkersMetrics(), new SystemClock(), logger, settings);
