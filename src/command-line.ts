import { parseArgs } from 'node:util';
import {
  CORE_SETTINGS,
  ConfigError,
  checkDistinct,
  type GivenFlags,
  helpText,
  type SettingGroup,
  type SettingsReader,
  settingsOf,
  settingsReader,
} from './app/config.ts';

export type ParsedCommandLine =
  | Readonly<{ kind: 'help'; text: string }>
  | Readonly<{ kind: 'version' }>
  | Readonly<{ kind: 'settings'; read: SettingsReader }>;

/**
 * Reads the command line against `groups`, every group that may be read: unknown flags are
 * refused. Values come from flags first, then environment variables, then defaults.
 */
export const parseCommandLine = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  groups: readonly SettingGroup[] = [CORE_SETTINGS],
): ParsedCommandLine => {
  checkDistinct(groups);
  let given: GivenFlags;
  try {
    const options = Object.fromEntries([
      ['help', { type: 'boolean' as const, short: 'h' }],
      ['version', { type: 'boolean' as const, short: 'v' }],
      ...settingsOf(groups).map((s) => [
        s.flag,
        s.isSwitch === true
          ? { type: 'boolean' as const }
          : { type: 'string' as const, multiple: s.repeatable === true },
      ]),
    ]);
    given = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; see --help`);
  }
  if (given.help === true) return { kind: 'help', text: helpText(groups) };
  if (given.version === true) return { kind: 'version' };
  return { kind: 'settings', read: settingsReader(given, env) };
};
