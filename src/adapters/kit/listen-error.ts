import { ConfigError } from '../../app/config.ts';

const PORT_FAULTS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is already in use',
  EACCES: 'is not allowed for this user',
};
const HOST_FAULTS: Readonly<Record<string, string>> = {
  EADDRNOTAVAIL: 'is not an address of this machine',
  ENOTFOUND: 'is not a known host name',
};

/**
 * A listener that could not start because of a setting, as a ConfigError naming it, e.g.
 * `--port 8080 is already in use (EADDRINUSE)`: the entry point prints it as one line and
 * exits 2. An address fault names `hostFlag` (`--host` unless the listener has its own). Any
 * other error is returned as it is.
 */
export const listenError = (
  error: unknown,
  port: Readonly<{ flag: string; value: number }>,
  host: string,
  hostFlag = 'host',
): unknown => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const portFault = PORT_FAULTS[code];
  if (portFault !== undefined) {
    return new ConfigError(`--${port.flag} ${port.value} ${portFault} (${code})`);
  }
  const hostFault = HOST_FAULTS[code];
  if (hostFault !== undefined)
    return new ConfigError(`--${hostFlag} ${host} ${hostFault} (${code})`);
  return error;
};
