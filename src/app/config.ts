import { ConfigError, type Setting, type SettingGroup, type ValuesOf } from './setting-values.ts';
import { CORE_SETTINGS } from './settings.ts';

export {
  boolean,
  ConfigError,
  hostName,
  integer,
  LOG_LEVELS,
  type LogLevel,
  logLevel,
  optional,
  origins,
  orOff,
  type Setting,
  type SettingGroup,
  type ValuesOf,
} from './setting-values.ts';
export { CORE_SETTINGS, DAY_MS } from './settings.ts';

/** The core's settings, as parsed. Adapters' own settings come beside them (`ValuesOf`). */
export type Config = ValuesOf<typeof CORE_SETTINGS>;

/** Reads one group's values from what was given, validating each. */
export type SettingsReader = <G extends SettingGroup>(group: G) => ValuesOf<G>;

type Environment = Readonly<Record<string, string | undefined>>;

/** The flags given on the command line, by flag name: a string, strings, or `true` for a switch. */
export type GivenFlags = Readonly<Record<string, unknown>>;

const readRaw = (setting: Setting, given: GivenFlags, env: Environment) => {
  const flagValue = given[setting.flag];
  if (Array.isArray(flagValue)) return { raw: flagValue.join(','), name: `--${setting.flag}` };
  if (typeof flagValue === 'string') return { raw: flagValue, name: `--${setting.flag}` };
  if (flagValue === true) return { raw: 'true', name: `--${setting.flag}` };
  for (const variable of setting.env) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { raw: value, name: variable };
  }
  return { raw: setting.fallback, name: `default of --${setting.flag}` };
};

export const settingsOf = (groups: readonly SettingGroup[]): Setting[] =>
  groups.flatMap((group) => Object.values(group));

/** Two groups that declare the same key or flag would read each other's values. */
export const checkDistinct = (groups: readonly SettingGroup[]): void => {
  const keys = groups.flatMap((group) => Object.keys(group));
  const flags = settingsOf(groups).map((setting) => setting.flag);
  for (const names of [keys, flags]) {
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) throw new Error(`setting "${repeated}" is declared twice`);
  }
};

/**
 * Reads settings from the flags given first, then environment variables, then defaults; each
 * group is validated when read.
 */
export const settingsReader =
  (given: GivenFlags, env: Environment): SettingsReader =>
  <G extends SettingGroup>(group: G) => {
    const values = Object.fromEntries(
      Object.entries(group).map(([key, setting]) => {
        const { raw, name } = readRaw(setting, given, env);
        return [key, setting.parse(raw, name)];
      }),
    );
    // Each value is its setting's parse result, key by key: what ValuesOf<G> says.
    return values as ValuesOf<G>;
  };

/** The core's settings, cross-checked. */
export const readConfig = (read: SettingsReader): Config => {
  const config = read(CORE_SETTINGS);
  if (config.pingIntervalMs >= config.pongTimeoutMs) {
    throw new ConfigError(
      `--ping-interval-ms (${config.pingIntervalMs}) must be less than --pong-timeout-ms (${config.pongTimeoutMs}), or every peer is dropped between pings`,
    );
  }
  return config;
};

export const helpText = (groups: readonly SettingGroup[] = [CORE_SETTINGS]): string => {
  const all = settingsOf(groups);
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

/** Every default of `group`, for tests and embedders. */
export const defaultsOf = <G extends SettingGroup>(group: G): ValuesOf<G> =>
  settingsReader({}, {})(group);

/** The core's defaults, with `overrides`. */
export const defaultConfig = (overrides: Partial<Config> = {}): Config => ({
  ...defaultsOf(CORE_SETTINGS),
  ...overrides,
});
