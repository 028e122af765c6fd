import { ContainerModule } from 'inversify';
import type { Config } from './config.ts';
import { HubService } from './hub-service.ts';
import { HubbubServer } from './hubbub-server.ts';
import { TOKENS } from './tokens.ts';

/** The use cases: the hub, and the server that starts and stops everything. */
export const appModule = (config: Config): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.HubService).to(HubService).inSingletonScope();
    bind(TOKENS.Hub).toService(TOKENS.HubService);
    bind(TOKENS.HubbubServer).to(HubbubServer).inSingletonScope();
  });
