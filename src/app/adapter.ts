import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import {
  type Config,
  readConfig,
  type SettingGroup,
  type SettingsReader,
  type ValuesOf,
} from './config.ts';

/**
 * What an adapter folder exports: its own settings (flag, environment variable, default,
 * validation, help line) and how it binds itself to its ports. The composition root lists
 * adapters; nothing else needs to know them.
 */
export type Adapter<G extends SettingGroup> = Readonly<{
  name: string;
  settings: G;
  /** Where the core's settings and the adapter's own are bound, for its classes to inject. */
  settingsToken?: symbol;
  /** Binds the adapter's classes to the ports it implements (and to its own tokens). */
  bind(options: ContainerModuleLoadOptions, settings: Config & ValuesOf<G>): void;
}>;

/** Declares an adapter, keeping its settings' types; one without settings may leave them out. */
export const defineAdapter = <G extends SettingGroup = Record<never, never>>(
  adapter: Omit<Adapter<G>, 'settings'> & Partial<Pick<Adapter<G>, 'settings'>>,
): Adapter<G> => ({ ...adapter, settings: adapter.settings ?? ({} as G) });

/** The adapter's inversify module, given every setting's value. */
export const moduleOf = (
  adapter: Adapter<SettingGroup>,
  settings: Config & ValuesOf<SettingGroup>,
): ContainerModule =>
  new ContainerModule((options) => {
    if (adapter.settingsToken !== undefined) {
      options.bind(adapter.settingsToken).toConstantValue(settings);
    }
    adapter.bind(options, settings);
  });

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (
  value: infer I,
) => void
  ? I
  : never;

/** The values of every setting of `adapters`, with the core's. */
export type SettingsOf<A extends readonly Adapter<SettingGroup>[]> = Config &
  UnionToIntersection<ValuesOf<A[number]['settings']>>;

/** The core's settings and those of every adapter in `adapters`, each group validated. */
export const readSettingsOf = <A extends readonly Adapter<SettingGroup>[]>(
  adapters: A,
  read: SettingsReader,
): SettingsOf<A> => {
  const groups = adapters.map((adapter) => read(adapter.settings));
  // One group of values per adapter, each what `ValuesOf` says: together, `SettingsOf<A>`.
  return Object.assign({}, readConfig(read), ...groups) as SettingsOf<A>;
};
