import { type AdapterSetting, integer, optional } from '../../app/config.ts';

/** `--tcp-port` / `HUBBUB_TCP_PORT`: the line protocol's port; empty (the default) is off. */
export const TCP_PORT: AdapterSetting<number | undefined> = {
  key: 'tcpPort',
  flag: 'tcp-port',
  env: ['HUBBUB_TCP_PORT'],
  fallback: '',
  fallbackText: 'off',
  help: 'TCP port for the line protocol, one message per line (0 picks a free one; empty: off)',
  parse: optional(integer(0, 65_535)),
};
