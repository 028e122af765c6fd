import { ContainerModule } from 'inversify';
import type { ConnectionTable } from '../domain/index.ts';
import { PersistentMap } from '../lib/persistent-map.ts';
import type { Config } from './config.ts';
import { HubbubServer } from './hubbub-server.ts';
import type { Clock } from './ports/clock.port.ts';
import type { Engine } from './ports/engine.port.ts';
import type { Logger } from './ports/logger.port.ts';
import type { Metrics } from './ports/metrics.port.ts';
import { RoomsGateway } from './rooms/rooms-gateway.ts';
import { RoomsHub } from './rooms/rooms-hub.ts';
import { TOKENS } from './tokens.ts';

/** The use cases: the hub, and the server that starts and stops everything. */
export const appModule = (config: Config): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.RoomsHub)
      .toDynamicValue(
        (context) =>
          new RoomsHub(
            config,
            context.get<Engine>(TOKENS.Engine),
            context.get<Clock>(TOKENS.Clock),
            context.get<Logger>(TOKENS.Logger),
            context.get<Metrics>(TOKENS.Metrics),
            <V>(): ConnectionTable<V> => PersistentMap.empty<V>(),
          ),
      )
      .inSingletonScope();
    bind(TOKENS.Hub)
      .toDynamicValue(
        (context) =>
          new RoomsGateway(context.get<RoomsHub>(TOKENS.RoomsHub), config.maxMessageBytes),
      )
      .inSingletonScope();
    bind(TOKENS.HubbubServer).to(HubbubServer).inSingletonScope();
  });
