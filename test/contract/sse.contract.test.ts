import { connectSseRegistered } from '../adapters/support/sse-client.ts';
import { startServer } from '../support/start-server.ts';
import { transportContract } from './transport-contract.ts';

transportContract('sse', async (settings) => {
  const server = await startServer(settings);
  return {
    events: server.events,
    connect: async () => {
      const client = await connectSseRegistered(server);
      return {
        id: client.id,
        messages: client.messages,
        send: (text) => {
          void client.send(text);
        },
        stall: () => client.response.pause(),
        leave: () => client.leave(),
        ended: () => client.closed,
      };
    },
    stop: () => server.stop(),
  };
});
