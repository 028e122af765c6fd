import { connectRegistered } from '../adapters/support/ws-client.ts';
import { startServer } from '../support/start-server.ts';
import { type ContractEnd, transportContract } from './transport-contract.ts';

const ENDS: Record<number, ContractEnd> = {
  1000: 'left',
  1005: 'left',
  1001: 'shutdown',
  1008: 'overflowed',
  1009: 'too-large',
};

transportContract('ws', async (settings) => {
  const server = await startServer(settings);
  return {
    events: server.events,
    connect: async () => {
      const client = await connectRegistered(server);
      return {
        id: client.id,
        messages: client.messages,
        send: (text) => client.send(text),
        stall: () => client.socket.pause(),
        leave: () => client.close(),
        ended: async () => ENDS[(await client.closed).code] ?? 'other',
      };
    },
    stop: () => server.stop(),
  };
});
