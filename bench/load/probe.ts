// Does the server speak hubbub.v1? One client asks for it, sends a message and reads the answer.
import { performance } from 'node:perf_hooks';
import { BenchClient } from './client.ts';
import { encodeMessage } from './message.ts';
import { nowUs } from './open.ts';
import { SUBPROTOCOL } from './protocols.ts';
import { Recorder } from './recorder.ts';

export type ProbeResult = { supported: true } | { supported: false; why: string };

export const probeV1 = async (port: number): Promise<ProbeResult> => {
  const recorder = new Recorder(1, 1);
  const client = new BenchClient({ port, index: 0, protocol: 'v1', recorder, now: nowUs });
  try {
    await client.opened;
    if (client.subprotocol !== SUBPROTOCOL.v1) {
      return { supported: false, why: 'the server selected no hubbub.v1 subprotocol' };
    }
    client.send(encodeMessage(0, 0, nowUs()));
    const deadline = performance.now() + 2_000;
    while (recorder.frames === 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (client.mismatch !== undefined) {
      return { supported: false, why: `hubbub.v1 selected, but ${client.mismatch}` };
    }
    if (recorder.frames === 0) {
      return { supported: false, why: 'no answer to a hubbub.v1 send within 2 s' };
    }
    return { supported: true };
  } catch (error) {
    return { supported: false, why: `connecting failed: ${(error as Error).message}` };
  } finally {
    client.close();
  }
};
