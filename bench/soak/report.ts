// The run's figures as tables, rendered as aligned text (the terminal) or Markdown (the doc).
import type { SoakResult } from './soak.ts';
import { KINDS } from './tally.ts';
import { memoryDelta, verdictWord } from './verdict.ts';

export type Table = { title: string; header: string[]; rows: string[][] };

const count = (value: number | undefined): string =>
  value === undefined ? '—' : Math.round(value).toLocaleString('en-US');
const mib = (bytes: number | undefined): string =>
  bytes === undefined ? '—' : (bytes / 1_048_576).toFixed(1);
const sorted = (map: Map<string, number>): string[][] =>
  [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, count(value)]);

export const tables = (result: SoakResult): Table[] => {
  const { tally } = result;
  const metrics = result.rest?.metrics;
  const out: Table[] = [];
  out.push({
    title: 'Connections (client side; WebSocket kinds count as opened once upgraded)',
    header: ['kind', 'opened', 'closed', 'failed to open'],
    rows: KINDS.flatMap((kind) => {
      const c = tally.connections.get(kind);
      return c === undefined || c.opened + c.failed === 0
        ? []
        : [[kind, count(c.opened), count(c.closed), count(c.failed)]];
    }),
  });
  const messages = [
    ['sent by the soak clients', count(tally.sent), mib(tally.sentBytes)],
    ['received by the soak clients', count(tally.received), mib(tally.receivedBytes)],
  ];
  if (metrics !== undefined) {
    messages.push(
      [
        'received by the server (/metrics)',
        count(metrics.sum('hubbub_messages_received_total')),
        mib(metrics.sum('hubbub_received_bytes_total')),
      ],
      [
        'delivered by the server (/metrics)',
        count(metrics.sum('hubbub_messages_delivered_total')),
        mib(metrics.sum('hubbub_delivered_bytes_total')),
      ],
    );
  }
  out.push({ title: 'Messages', header: ['', 'messages', 'MiB'], rows: messages });
  if (metrics !== undefined) {
    const rows = [
      ...[...metrics.by('hubbub_connections_opened_total', 'transport')].map(([t, v]) => [
        `opened (${t})`,
        count(v),
      ]),
      ...[...metrics.by('hubbub_connections_closed_total', 'reason')].map(([r, v]) => [
        `closed: ${r}`,
        count(v),
      ]),
      ...[...metrics.by('hubbub_evictions_total', 'reason')].map(([r, v]) => [
        `evicted: ${r}`,
        count(v),
      ]),
      ...[...metrics.by('hubbub_rejections_total', 'reason')].map(([r, v]) => [
        `rejected: ${r}`,
        count(v),
      ]),
    ];
    out.push({
      title: 'Server counters (/metrics, once every client had ended)',
      header: ['counter', 'value'],
      rows,
    });
  }
  out.push({
    title: 'Close codes received from the server',
    header: ['code and reason (kind)', 'count'],
    rows: sorted(tally.closes),
  });
  const cuts = [...tally.slowestCut].map(([kind, ms]) => [
    `slowest release: ${kind}`,
    `${(ms / 1000).toFixed(2)} s`,
  ]);
  out.push({
    title: 'How the misbehaving clients ended',
    header: ['outcome', 'count'],
    rows: [...sorted(tally.outcomes), ...cuts],
  });
  out.push({
    title: 'Server log lines (warn and above)',
    header: ['message', 'count'],
    rows: sorted(result.server.log.kinds),
  });
  out.push({
    title: 'Server memory (RSS after a forced GC)',
    header: [
      'point',
      'at',
      'RSS MiB',
      'heap used MiB',
      'open fds',
      'connections held',
      'hubbub_connections',
    ],
    rows: result.readings.map((r) => [
      r.label,
      `${r.atS.toFixed(0)} s`,
      mib(r.rssKb * 1024),
      mib(r.heapUsedBytes),
      count(r.fds),
      count(r.held),
      count(r.connections),
    ]),
  });
  const delta = memoryDelta(result);
  if (delta !== undefined) {
    const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
    out
      .at(-1)
      ?.rows.push([
        'end - after warm-up',
        '',
        signed(delta.rssKb * 1024),
        delta.heap === undefined ? '—' : signed(delta.heap.bytes),
        `${delta.fds.end - delta.fds.afterWarmUp >= 0 ? '+' : ''}${delta.fds.end - delta.fds.afterWarmUp}`,
        '',
        '',
      ]);
  }
  out.push({
    title: 'Checks',
    header: ['', 'check', 'detail'],
    rows: result.checks.map((c) => [verdictWord(c), c.name, c.detail]),
  });
  return out;
};

const NUMERIC = /^([-+]?[\d,.]+( s| MiB)?|—|)$/;

export const textTable = (table: Table): string => {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const right = table.header.map((_, i) => table.rows.every((row) => NUMERIC.test(row[i] ?? '')));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [table.title, ...all.map((row) => `  ${line(row)}`)].join('\n');
};

export const markdownTable = (table: Table): string => {
  const escaped = (cell: string): string => cell.replaceAll('|', '\\|');
  const row = (cells: string[]): string => `| ${cells.map(escaped).join(' | ')} |`;
  return [row(table.header), row(table.header.map(() => '---')), ...table.rows.map(row)].join('\n');
};

export const heading = (result: SoakResult): string[] => [
  `Soak of ${result.options.durationS} s, seed ${result.options.seed}, ${result.options.clients} chat clients at once; ${result.floods} floods; ran ${result.elapsedS.toFixed(0)} s in all (started ${result.startedAt})`,
  `server: ${result.server.command}`,
];
