import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { SseTransport } from './sse-transport.adapter.ts';

export const SSE_TOKENS = { SseTransport: Symbol.for('hubbub.sse.SseTransport') } as const;

/** Server-Sent Events: `GET /events` streams the chat, `POST /send` publishes. */
export const sseAdapter = defineAdapter({
  name: 'sse',
  bind: ({ bind }) => {
    bind(SSE_TOKENS.SseTransport).to(SseTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(SSE_TOKENS.SseTransport);
    for (const route of ['eventsRoute', 'sendRoute', 'historyRoute'] as const) {
      bind(KIT_TOKENS.HttpRoute)
        .toDynamicValue((context) => context.get<SseTransport>(SSE_TOKENS.SseTransport)[route])
        .inSingletonScope();
    }
  },
});
