import type { ContainerModule } from 'inversify';
import {
  type Config,
  readConfig,
  type SettingGroup,
  type SettingsReader,
  type ValuesOf,
} from './config.ts';

/**
 * What an adapter folder exports: its own settings (flag, environment variable, default,
 * validation, help line) and the inversify module that binds it to its ports, given the core's
 * settings and its own. The composition root lists adapters; nothing else needs to know them.
 */
export type Adapter<G extends SettingGroup> = Readonly<{
  name: string;
  settings: G;
  module(settings: Config & ValuesOf<G>): ContainerModule;
}>;

/** Declares an adapter, keeping its settings' types. */
export const defineAdapter = <G extends SettingGroup>(adapter: Adapter<G>): Adapter<G> => adapter;

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
