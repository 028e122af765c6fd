import { spawn } from 'node:child_process';
import test from 'ava';
import { within } from '../adapters/support/ws-client.ts';
import { ROOT, startHubbub } from './support/hubbub-process.ts';

test('the Node example of docs/client.md runs against the shipped server through hubbub/client', async (t) => {
  const { hubbub, port } = await startHubbub();
  t.teardown(() => hubbub.kill());
  const example = spawn(
    process.execPath,
    ['examples/node-client.mjs', `ws://127.0.0.1:${port}/ws`, 'lobby', 'ann', '--once'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  example.stdout.on('data', (chunk) => {
    output += chunk;
  });
  example.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await within(
    new Promise<number | null>((resolve) => example.once('close', (status) => resolve(status))),
    'the example to finish',
  );
  t.is(code, 0, output);
  t.regex(output, /joined #lobby: ann/);
  t.regex(output, /stored as 1/);
  t.regex(output, /#lobby 1 <ann> hello from ann/);
});
