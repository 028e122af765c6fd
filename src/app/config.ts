import { parseArgs } from 'node:util';
import { type AdapterSetting, ConfigError, type LogLevel, type Setting } from './setting-values.ts';
import { SETTINGS } from './settings.ts';

export {
  type AdapterSetting,
  ConfigError,
  integer,
  LOG_LEVELS,
  type LogLevel,
  optional,
  type Setting,
} from './setting-values.ts';
export { SETTINGS } from './settings.ts';

export type Config = Readonly<{
  port: number;
  host: string;
  maxMessageBytes: number;
  sendBuffer: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  writeTimeoutMs: number;
  /** Origins accepted besides the page's own; `*` accepts any. */
  allowedOrigins: readonly string[];
  /** Offer WebSocket compression (costs CPU per connection; off like the original). */
  permessageDeflate: boolean;
  /** How long broadcasts may wait to go out together; 0 writes at the end of each turn. */
  batchWindowMs: number;
  /** A client that has not finished its HTTP request (or upgrade) this long is cut off. */
  handshakeTimeoutMs: number;
  /** Connections open at once, every transport together; 0 means no limit. */
  maxConnections: number;
  /** Connections open at once from one client address; 0 means no limit. */
  maxConnectionsPerIp: number;
  /** Messages per second one connection may send on average; 0 means no limit. */
  rateLimit: number;
  /** Messages one connection may send at once before the average applies. */
  rateLimitBurst: number;
  logLevel: LogLevel;
  /**
   * Values of the settings adapters declare in their own folders (`AdapterSetting`), by key;
   * read them with `settingOf`. The composition root passes those declarations to the parser.
   */
  adapters: Readonly<Record<string, unknown>>;
}>;

export type ParsedCommandLine =
  | Readonly<{ kind: 'help'; text: string }>
  | Readonly<{ kind: 'version' }>
  | Readonly<{ kind: 'config'; config: Config }>;

const readRaw = (
  setting: Setting,
  values: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): { raw: string; name: string } => {
  const flagValue = values[setting.flag];
  if (Array.isArray(flagValue)) return { raw: flagValue.join(','), name: `--${setting.flag}` };
  if (typeof flagValue === 'string') return { raw: flagValue, name: `--${setting.flag}` };
  if (flagValue === true) return { raw: 'true', name: `--${setting.flag}` };
  for (const variable of setting.env) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { raw: value, name: variable };
  }
  return { raw: setting.fallback, name: `default of --${setting.flag}` };
};

/** Reads settings from flags first, then environment variables, then defaults; validates all. */
export const parseCommandLine = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  adapterSettings: readonly Setting[] = [],
): ParsedCommandLine => {
  const all = [...SETTINGS, ...adapterSettings];
  let values: Readonly<Record<string, unknown>>;
  try {
    const options = Object.fromEntries([
      ['help', { type: 'boolean' as const, short: 'h' }],
      ['version', { type: 'boolean' as const, short: 'v' }],
      ...all.map((s) => [
        s.flag,
        s.isSwitch === true
          ? { type: 'boolean' as const }
          : { type: 'string' as const, multiple: s.repeatable === true },
      ]),
    ]);
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; see --help`);
  }
  if (values.help === true) return { kind: 'help', text: helpText(adapterSettings) };
  if (values.version === true) return { kind: 'version' };
  const parsed = (settings: readonly Setting[]) =>
    Object.fromEntries(
      settings.map((setting) => {
        const { raw, name } = readRaw(setting, values, env);
        return [setting.key, setting.parse(raw, name)];
      }),
    );
  const config = { ...parsed(SETTINGS), adapters: parsed(adapterSettings) } as Config;
  if (config.pingIntervalMs >= config.pongTimeoutMs) {
    throw new ConfigError(
      `--ping-interval-ms (${config.pingIntervalMs}) must be less than --pong-timeout-ms (${config.pongTimeoutMs}), or every peer is dropped between pings`,
    );
  }
  return { kind: 'config', config };
};

export const helpText = (adapterSettings: readonly Setting[] = []): string => {
  const all = [...SETTINGS, ...adapterSettings];
  const envWidth = Math.max(...all.map((s) => s.env.join(', ').length)) + 1;
  const rows = all.map((s) => {
    const flag = `--${s.flag}${s.repeatable === true ? ' (repeatable)' : ''}`;
    const fallback = s.fallbackText ?? s.fallback;
    return `  ${flag.padEnd(30)} ${s.env.join(', ').padEnd(envWidth)} default ${fallback}\n      ${s.help}`;
  });
  return [
    'Usage: hubbub [options]',
    '',
    'Every setting is a flag or an environment variable; flags win.',
    '',
    ...rows,
    '  --help, -h                     print this text',
    '  --version, -v                  print the version',
  ].join('\n');
};

export const defaultConfig = (overrides: Partial<Config> = {}): Config => {
  const parsed = parseCommandLine([], {});
  if (parsed.kind !== 'config') throw new Error('unreachable');
  return { ...parsed.config, ...overrides };
};

/** The value of an adapter's own setting: as given, or its default when it was not declared. */
export const settingOf = <T>(config: Config, setting: AdapterSetting<T>): T =>
  setting.key in config.adapters
    ? (config.adapters[setting.key] as T)
    : setting.parse(setting.fallback, `default of --${setting.flag}`);
