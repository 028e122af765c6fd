/** What a setting is, and the parsers that turn its raw text into a value or a clear error. */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** One setting: its flag, environment variables, default, help line and parser. */
export type Setting<T = unknown> = Readonly<{
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

/**
 * Settings by key: the core's, or one adapter's, declared in its own folder. The key is the
 * name the value has in code; `ValuesOf` is the type of the parsed values.
 */
export type SettingGroup = Readonly<Record<string, Setting>>;

export type ValuesOf<G extends SettingGroup> = {
  readonly [K in keyof G]: ReturnType<G[K]['parse']>;
};

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

/**
 * A value, or the word `off` (any case), which means off: for a setting that is on by default,
 * where a blank would be too easy to give by accident. `expected` says what else it takes.
 */
export const orOff =
  <T>(parse: (raw: string, name: string) => T, expected: string) =>
  (raw: string, name: string): T | undefined => {
    if (raw.trim().toLowerCase() === 'off') return undefined;
    try {
      return parse(raw, name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(`${name} must be ${expected} or off, got "${raw}"`);
    }
  };

export const hostName = (raw: string, name: string): string => {
  if (raw.trim() === '' || /\s/.test(raw)) {
    throw new ConfigError(`${name} must be a host name or address, got "${raw}"`);
  }
  return raw;
};

export const origins = (raw: string, name: string): readonly string[] =>
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

export const boolean = (raw: string, name: string): boolean => {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
};

export const logLevel = (raw: string, name: string): LogLevel => {
  const level = raw.trim().toLowerCase();
  const known = LOG_LEVELS.find((candidate) => candidate === level);
  if (known === undefined) {
    throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return known;
};
