// A short soak of the real server (bench/soak): churned and misbehaving clients for 12 s, then
// every connection must have ended on both sides, no chat client may have lost a message, and
// the server must have survived and stopped cleanly. Memory is not asserted: too noisy in 12 s.
import test from 'ava';
import { Auditor } from '../../bench/soak/auditor.ts';
import type { ChatWindow } from '../../bench/soak/chat-client.ts';
import { chainHash, HASH_START, messageText, readText } from '../../bench/soak/message.ts';
import { runSoak } from '../../bench/soak/soak.ts';

test('a short soak ends with every connection closed on both sides and no message lost', async (t) => {
  t.timeout(60_000);
  const result = await runSoak({ durationS: 12, seed: 20_251_126, clients: 30, memory: false });
  const failed = result.checks.filter((check) => check.ok === false && !check.warning);
  t.deepEqual(
    failed.map((check) => `${check.name}: ${check.detail}`),
    [],
    `server stderr:\n${result.stderrTail}`,
  );
  t.is(result.crashed, undefined);
  t.is(result.exit.code, 0);
  t.true(result.rest?.reached, 'the server still held connections');
  t.is(result.rest?.held.size, 0);
  t.is(result.tally.open, 0);
  t.deepEqual(result.tally.problems, []);
  t.true(result.windows.checked >= 20, `only ${result.windows.checked} windows checked`);
  t.deepEqual([...result.windows.lost, ...result.windows.unseen], []);
  t.true(result.finalClientOk);
  // The run did exercise what it is about.
  const outcomes = [...result.tally.outcomes.keys()].join('\n');
  t.regex(outcomes, /^vanish: /m);
  t.regex(outcomes, /^handshake reset: /m);
  t.regex(outcomes, /^half-open: dropped by the server$/m);
});

const window = (sender: string, ids: readonly string[], sent: number): ChatWindow => ({
  sender,
  kind: 'chat ws',
  helloId: ids[0] as string,
  byeId: ids.at(-1) as string,
  sent,
  count: ids.length,
  hash: ids.reduce(chainHash, HASH_START),
  seqGaps: 0,
  broken: 0,
});

test('the window check finds a message a client missed, and one out of order', (t) => {
  const texts = [
    messageText('hello', 'a', 0, 30),
    messageText('chat', 'b', 0, 50),
    messageText('chat', 'b', 1, 50),
    messageText('bye', 'a', 1, 30),
  ];
  const ids = texts.map((text) => readText(text).id);
  const auditor = new Auditor();
  for (const text of texts) auditor.receive(text);

  const whole = auditor.check([window('a', ids, 2)]);
  t.deepEqual(whole, { checked: 1, lost: [], unseen: [] });

  const missing = auditor.check([window('a', [ids[0], ids[2], ids[3]] as string[], 2)]);
  t.is(missing.lost.length, 1);
  t.regex(missing.lost[0] as string, /received 3 messages in its window, the auditor 4/);

  const reordered = auditor.check([window('a', [ids[0], ids[2], ids[1], ids[3]] as string[], 2)]);
  t.regex(reordered.lost[0] as string, /different order or content/);
});
