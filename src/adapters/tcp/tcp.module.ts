import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { TCP_SETTINGS, tcpSettings } from './tcp.settings.ts';
import { TcpTransport } from './tcp-transport.adapter.ts';

/** The TCP line protocol on `--tcp-port`: `nc localhost 8081` joins the chat. */
export const tcpAdapter = defineAdapter({
  name: 'tcp',
  settings: tcpSettings,
  settingsToken: TCP_SETTINGS,
  bind: ({ bind }) => bind(TOKENS.Transport).to(TcpTransport).inSingletonScope(),
});
