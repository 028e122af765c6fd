// A runnable hubbub/client example for Node 20: joins a room, prints what is said there, and
// says hello. `npm start` in one terminal, then:
//   node examples/node-client.mjs ws://localhost:8080/ws lobby ann
// With `--once` it stops once its own message is stored and has come back (used by the tests).
import { HubbubClient } from 'hubbub/client';
import { WebSocket } from 'ws';

const [url = 'ws://localhost:8080/ws', room = 'lobby', name = 'node-example'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const once = process.argv.includes('--once');

const client = new HubbubClient({ url, name, WebSocket });
let stored = false;
let echoed = false;
const stopIfDone = () => {
  if (!once || !stored || !echoed) return;
  client.close();
  process.exit(0);
};
client.on('state', (state, retryInMs) =>
  console.log(retryInMs === undefined ? `[${state}]` : `[${state} in ${retryInMs} ms]`),
);
client.on('message', (message) => {
  console.log(`#${message.room} ${message.seq} <${message.from}> ${message.text}`);
  if (message.from === name) {
    echoed = true;
    stopIfDone();
  }
});

const joined = await client.join(room, { history: 10 });
console.log(`joined #${room}: ${joined.members.map((m) => m.name).join(', ')}`);
const { seq } = await client.send(room, `hello from ${name}`);
console.log(`stored as ${seq}`);
stored = true;
stopIfDone();
