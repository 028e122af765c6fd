import { inject, injectable, multiInject } from 'inversify';
import type { Engine } from './ports/engine.port.ts';
import type { Logger } from './ports/logger.port.ts';
import type { Transport } from './ports/transport.port.ts';
import type { WebServer } from './ports/web-server.port.ts';
import type { RoomsHub } from './rooms/rooms-hub.ts';
import { TOKENS } from './tokens.ts';

/** Starts and stops the whole service: the engine, the web server, every transport and the hub. */
@injectable()
export class HubbubServer {
  #stopping: Promise<void> | undefined;

  constructor(
    @inject(TOKENS.WebServer) private readonly web: WebServer,
    @multiInject(TOKENS.Transport) private readonly transports: Transport[],
    @inject(TOKENS.RoomsHub) readonly hub: RoomsHub,
    @inject(TOKENS.Engine) private readonly engine: Engine,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async start(): Promise<{ host: string; port: number }> {
    await this.engine.open();
    for (const transport of this.transports) await transport.start();
    return this.web.listen();
  }

  /** Stops accepting, closes every connection as going away, and resolves when all ended. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const listenerClosed = this.web.close();
    const connections = this.hub.state.connections.size;
    this.hub.shutdown();
    await Promise.all(this.transports.map((transport) => transport.stop()));
    await listenerClosed;
    await this.engine.close();
    this.logger.info('hubbub stopped', { connectionsClosed: connections });
  }
}
