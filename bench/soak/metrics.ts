// GET /metrics (Prometheus text format) when the server has it; `undefined` when it answers
// anything but 200. A fresh connection each time (no keep-alive), so nothing stays open.
import { request } from 'node:http';

export type Sample = { name: string; labels: Record<string, string>; value: number };

export class Metrics {
  constructor(readonly samples: readonly Sample[]) {}

  /** The sum of every sample of `name` whose labels include `where`; undefined if none. */
  sum(name: string, where: Record<string, string> = {}): number | undefined {
    let total: number | undefined;
    for (const sample of this.samples) {
      if (sample.name !== name) continue;
      if (Object.entries(where).some(([key, value]) => sample.labels[key] !== value)) continue;
      total = (total ?? 0) + sample.value;
    }
    return total;
  }

  /** `name` summed by the values of one label, e.g. evictions by reason. */
  by(name: string, label: string): Map<string, number> {
    const sums = new Map<string, number>();
    for (const sample of this.samples) {
      if (sample.name !== name) continue;
      const key = sample.labels[label] ?? '';
      sums.set(key, (sums.get(key) ?? 0) + sample.value);
    }
    return sums;
  }
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export const parseMetrics = (text: string): Metrics => {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key as string] = (value as string).replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      );
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return new Metrics(samples);
};

export const fetchMetrics = (port: number, timeoutMs = 3_000): Promise<Metrics | undefined> =>
  new Promise((resolve) => {
    const get = request(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        agent: false,
        headers: { Connection: 'close' },
        timeout: timeoutMs,
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          resolve(undefined);
          return;
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve(parseMetrics(body)));
        response.on('error', () => resolve(undefined));
      },
    );
    get.on('timeout', () => get.destroy());
    get.on('error', () => resolve(undefined));
    get.end();
  });
