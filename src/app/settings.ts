import { hostName, integer, type SettingGroup } from './setting-values.ts';

export const DAY_MS = 86_400_000;

/**
 * The core's settings: the hub's limits and the policy every transport shares. Adapters declare
 * their own (the web server's port, WebSocket's origins, ...) in their own folders.
 */
export const CORE_SETTINGS = {
  host: {
    flag: 'host',
    env: ['HUBBUB_HOST'],
    fallback: '0.0.0.0',
    help: 'address to listen on',
    parse: hostName,
  },
  maxMessageBytes: {
    flag: 'max-message-bytes',
    env: ['HUBBUB_MAX_MESSAGE_BYTES'],
    fallback: '512',
    help: 'largest inbound message; larger closes the sender with 1009',
    parse: integer(1, 16 * 1024 * 1024),
  },
  sendBuffer: {
    flag: 'send-buffer',
    env: ['HUBBUB_SEND_BUFFER'],
    fallback: '256',
    help: 'messages pending per connection before it is evicted',
    parse: integer(1, 1_000_000),
  },
  pingIntervalMs: {
    flag: 'ping-interval-ms',
    env: ['HUBBUB_PING_INTERVAL_MS'],
    fallback: '54000',
    help: 'how often each connection is pinged',
    parse: integer(1, DAY_MS),
  },
  pongTimeoutMs: {
    flag: 'pong-timeout-ms',
    env: ['HUBBUB_PONG_TIMEOUT_MS'],
    fallback: '60000',
    help: 'a peer that sends nothing (not even a pong) this long is dropped',
    parse: integer(1, DAY_MS),
  },
  writeTimeoutMs: {
    flag: 'write-timeout-ms',
    env: ['HUBBUB_WRITE_TIMEOUT_MS'],
    fallback: '10000',
    help: 'a write not completed this long drops the connection',
    parse: integer(1, DAY_MS),
  },
  batchWindowMs: {
    flag: 'batch-window-ms',
    env: ['HUBBUB_BATCH_WINDOW_MS'],
    fallback: '20',
    help: 'how long broadcasts may wait to go out together in one write (0: at once, as the original)',
    parse: integer(0, 1_000),
  },
  maxConnections: {
    flag: 'max-connections',
    env: ['HUBBUB_MAX_CONNECTIONS'],
    fallback: '10000',
    help: 'connections at once, all transports together; more get 503 (0: no limit)',
    parse: integer(0, 10_000_000),
  },
  maxConnectionsPerIp: {
    flag: 'max-connections-per-ip',
    env: ['HUBBUB_MAX_CONNECTIONS_PER_IP'],
    fallback: '256',
    help: 'sockets at once from one client address, counted from accept whatever they become; more are refused at once with 429 (0: no limit)',
    parse: integer(0, 10_000_000),
  },
  rateLimit: {
    flag: 'rate-limit',
    env: ['HUBBUB_RATE_LIMIT'],
    fallback: '20',
    help: 'messages per second one connection may send on average; over it closes with 1008 (0: no limit)',
    parse: integer(0, 1_000_000),
  },
  rateLimitBurst: {
    flag: 'rate-limit-burst',
    env: ['HUBBUB_RATE_LIMIT_BURST'],
    fallback: '40',
    help: 'messages one connection may send at once before --rate-limit applies',
    parse: integer(1, 1_000_000),
  },
  historySize: {
    flag: 'history-size',
    env: ['HUBBUB_HISTORY_SIZE'],
    fallback: '100',
    help: 'messages each room keeps for joins, resumes and history pages (hubbub.v2)',
    parse: integer(0, 10_000_000),
  },
  historyTtlMs: {
    flag: 'history-ttl-ms',
    env: ['HUBBUB_HISTORY_TTL_MS'],
    fallback: '86400000',
    help: "how long a room's history is kept after its last message; its numbering outlives it",
    parse: integer(1, 365 * DAY_MS),
  },
  dedupeWindowMs: {
    flag: 'dedupe-window-ms',
    env: ['HUBBUB_DEDUPE_WINDOW_MS'],
    fallback: '300000',
    help: 'a send repeating a client id within this window is acknowledged, not sent again',
    parse: integer(0, DAY_MS),
  },
  maxRoomsPerConnection: {
    flag: 'max-rooms-per-connection',
    env: ['HUBBUB_MAX_ROOMS_PER_CONNECTION'],
    fallback: '32',
    help: 'rooms one hubbub.v2 connection may be in at once; more are refused (too_many_rooms)',
    parse: integer(1, 10_000),
  },
  rateLimitPerIp: {
    flag: 'rate-limit-per-ip',
    env: ['HUBBUB_RATE_LIMIT_PER_IP'],
    fallback: '100',
    help: 'messages per second one client address may send on average, all its connections and POST /send together (twice that at once); over it the sender is refused (0: no limit)',
    parse: integer(0, 1_000_000),
  },
} as const satisfies SettingGroup;
