import { get, type IncomingHttpHeaders } from 'node:http';
import { SAFETY_MS, sleep, within } from '../support/ws-client.ts';

/** One sample of the Prometheus text format: `name{label="value",...} number`. */
export type Sample = Readonly<{
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}>;

export type Scrape = Readonly<{
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  samples: readonly Sample[];
  /**
   * The value of the one sample named `name` whose labels include `labels` (any order), or
   * `undefined` when there is none; several matching samples are a test error.
   */
  value: (name: string, labels?: Readonly<Record<string, string>>) => number | undefined;
}>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the samples of a Prometheus text exposition (comments and blank lines skipped). */
export const parseExposition = (body: string): Sample[] =>
  body.split('\n').flatMap((line) => {
    if (line === '' || line.startsWith('#')) return [];
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      if (key !== undefined) labels[key] = value ?? '';
    }
    return [{ name: match[1] ?? '', labels, value: Number(match[3]) }];
  });

/**
 * `GET` of the metrics listener's URL (`RunningServer.metricsUrl`, or the one the entry point
 * printed), on a connection of its own (no keep-alive pool left behind).
 */
export const scrape = async (metricsUrl: string | undefined): Promise<Scrape> => {
  if (metricsUrl === undefined) throw new Error('the metrics listener is off');
  const { status, headers, body } = await within(
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const request = get(metricsUrl, { agent: false }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
          );
          response.on('error', reject);
        });
        request.on('error', reject);
      },
    ),
    `GET ${metricsUrl}`,
  );
  const samples = parseExposition(body);
  const value = (name: string, labels: Readonly<Record<string, string>> = {}) => {
    const matching = samples.filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
    );
    if (matching.length > 1) {
      throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
    }
    return matching[0]?.value;
  };
  return { status, headers, body, samples, value };
};

/**
 * Scrapes until `done` holds for the answer, and returns that answer. The listener serves one
 * rendering for up to a second (`RENDER_CACHE_MS`), so a scrape soon after an earlier one may
 * show the figures as they were then; this waits for the new ones, as Prometheus would.
 */
export const scrapeUntil = async (
  metricsUrl: string | undefined,
  done: (scraped: Scrape) => boolean,
  what: string,
  timeoutMs = SAFETY_MS,
): Promise<Scrape> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const scraped = await scrape(metricsUrl);
    if (done(scraped)) return scraped;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
};
