import { connectTcpRegistered } from '../adapters/support/tcp-client.ts';
import { startServer } from '../support/start-server.ts';
import { transportContract } from './transport-contract.ts';

transportContract('tcp', async (settings) => {
  const server = await startServer({ ...settings, tcpPort: 0 });
  return {
    events: server.events,
    connect: async () => {
      const client = await connectTcpRegistered(server);
      return {
        id: client.id,
        messages: client.messages,
        send: (text) => client.send(text),
        stall: () => client.socket.pause(),
        leave: () => client.leave(),
        ended: () => client.closed,
      };
    },
    stop: () => server.stop(),
  };
});
