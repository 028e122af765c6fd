import { parseArgs } from 'node:util';

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

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Setting<T = unknown> = Readonly<{
  key: string;
  flag: string;
  env: readonly string[];
  fallback: string;
  /** How `--help` shows the default, when not the fallback itself. */
  fallbackText?: string;
  help: string;
  repeatable?: boolean;
  /** A flag without a value: present means true. */
  isSwitch?: boolean;
  parse: (raw: string, name: string) => T;
}>;

/** A setting an adapter declares in its own folder, so adding it needs no edit here. */
export type AdapterSetting<T> = Setting<T>;

export const integer =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };

/** A value that may be left empty, which means off. */
export const optional =
  <T>(parse: (raw: string, name: string) => T) =>
  (raw: string, name: string): T | undefined =>
    raw.trim() === '' ? undefined : parse(raw, name);

const hostName = (raw: string, name: string): string => {
  if (raw.trim() === '' || /\s/.test(raw)) {
    throw new ConfigError(`${name} must be a host name or address, got "${raw}"`);
  }
  return raw;
};

const origins = (raw: string, name: string): readonly string[] =>
  raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((origin) => {
      if (origin === '*') return origin;
      try {
        const url = new URL(origin);
        if (url.origin !== 'null' && url.pathname === '/' && !origin.endsWith('/'))
          return url.origin;
      } catch {}
      throw new ConfigError(
        `${name} must list origins like "https://chat.example.com" or "*", got "${origin}"`,
      );
    });

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', '']);

const boolean = (raw: string, name: string): boolean => {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
};

const DAY_MS = 86_400_000;

const logLevel = (raw: string, name: string): LogLevel => {
  const level = raw.trim().toLowerCase();
  const known = LOG_LEVELS.find((candidate) => candidate === level);
  if (known === undefined) {
    throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return known;
};

export const SETTINGS: readonly Setting[] = [
  {
    key: 'port',
    flag: 'port',
    env: ['HUBBUB_PORT', 'PORT'],
    fallback: '8080',
    help: 'TCP port to listen on (0 picks a free one)',
    parse: integer(0, 65_535),
  },
  {
    key: 'host',
    flag: 'host',
    env: ['HUBBUB_HOST'],
    fallback: '0.0.0.0',
    help: 'address to listen on',
    parse: hostName,
  },
  {
    key: 'maxMessageBytes',
    flag: 'max-message-bytes',
    env: ['HUBBUB_MAX_MESSAGE_BYTES'],
    fallback: '512',
    help: 'largest inbound message; larger closes the sender with 1009',
    parse: integer(1, 16 * 1024 * 1024),
  },
  {
    key: 'sendBuffer',
    flag: 'send-buffer',
    env: ['HUBBUB_SEND_BUFFER'],
    fallback: '256',
    help: 'messages pending per connection before it is evicted',
    parse: integer(1, 1_000_000),
  },
  {
    key: 'pingIntervalMs',
    flag: 'ping-interval-ms',
    env: ['HUBBUB_PING_INTERVAL_MS'],
    fallback: '54000',
    help: 'how often each connection is pinged',
    parse: integer(1, DAY_MS),
  },
  {
    key: 'pongTimeoutMs',
    flag: 'pong-timeout-ms',
    env: ['HUBBUB_PONG_TIMEOUT_MS'],
    fallback: '60000',
    help: 'a peer that sends nothing (not even a pong) this long is dropped',
    parse: integer(1, DAY_MS),
  },
  {
    key: 'writeTimeoutMs',
    flag: 'write-timeout-ms',
    env: ['HUBBUB_WRITE_TIMEOUT_MS'],
    fallback: '10000',
    help: 'a write not completed this long drops the connection',
    parse: integer(1, DAY_MS),
  },
  {
    key: 'allowedOrigins',
    flag: 'allowed-origin',
    env: ['HUBBUB_ALLOWED_ORIGINS'],
    fallback: '',
    fallbackText: 'same origin only',
    help: 'extra browser origin allowed to connect (repeatable; env: comma-separated; * for any)',
    repeatable: true,
    parse: origins,
  },
  {
    key: 'permessageDeflate',
    flag: 'permessage-deflate',
    env: ['HUBBUB_PERMESSAGE_DEFLATE'],
    fallback: 'false',
    help: 'offer WebSocket compression (a switch; env: true/false); costs CPU, off by default',
    isSwitch: true,
    parse: boolean,
  },
  {
    key: 'batchWindowMs',
    flag: 'batch-window-ms',
    env: ['HUBBUB_BATCH_WINDOW_MS'],
    fallback: '20',
    help: 'how long broadcasts may wait to go out together in one write (0: at once, as the original)',
    parse: integer(0, 1_000),
  },
  {
    key: 'handshakeTimeoutMs',
    flag: 'handshake-timeout-ms',
    env: ['HUBBUB_HANDSHAKE_TIMEOUT_MS'],
    fallback: '10000',
    help: 'a client that has not sent its whole HTTP request (or upgrade) by then is cut off',
    parse: integer(100, DAY_MS),
  },
  {
    key: 'maxConnections',
    flag: 'max-connections',
    env: ['HUBBUB_MAX_CONNECTIONS'],
    fallback: '10000',
    help: 'connections at once, all transports together; more get 503 (0: no limit)',
    parse: integer(0, 10_000_000),
  },
  {
    key: 'maxConnectionsPerIp',
    flag: 'max-connections-per-ip',
    env: ['HUBBUB_MAX_CONNECTIONS_PER_IP'],
    fallback: '256',
    help: 'connections at once from one client address; more get 429 (0: no limit)',
    parse: integer(0, 10_000_000),
  },
  {
    key: 'rateLimit',
    flag: 'rate-limit',
    env: ['HUBBUB_RATE_LIMIT'],
    fallback: '20',
    help: 'messages per second one connection may send on average; over it closes with 1008 (0: no limit)',
    parse: integer(0, 1_000_000),
  },
  {
    key: 'rateLimitBurst',
    flag: 'rate-limit-burst',
    env: ['HUBBUB_RATE_LIMIT_BURST'],
    fallback: '40',
    help: 'messages one connection may send at once before --rate-limit applies',
    parse: integer(1, 1_000_000),
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: ['HUBBUB_LOG_LEVEL'],
    fallback: 'info',
    help: `least severe log lines written: ${LOG_LEVELS.join(', ')}`,
    parse: logLevel,
  },
];

export type ParsedCommandLine =
  | Readonly<{ kind: 'help'; text: string }>
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
  const rows = [...SETTINGS, ...adapterSettings].map((s) => {
    const flag = `--${s.flag}${s.repeatable === true ? ' (repeatable)' : ''}`;
    const fallback = s.fallbackText ?? s.fallback;
    return `  ${flag.padEnd(30)} ${s.env.join(', ').padEnd(28)} default ${fallback}\n      ${s.help}`;
  });
  return [
    'Usage: hubbub [options]',
    '',
    'Every setting is a flag or an environment variable; flags win.',
    '',
    ...rows,
    '  --help, -h                     print this text',
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
