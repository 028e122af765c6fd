// A hand-written SVG: p99 latency against delivered rate, log-log, one panel per scenario and
// one line per server and protocol. Steps that lost messages are drawn as hollow points.
import { rate } from './format.ts';
import { everyMessageDelivered, seriesLabel } from './report.ts';
import type { BenchRun, SeriesResult } from './results.ts';
import { CLEAN_P99_MS, SCENARIOS, type Series } from './scenarios.ts';

const WIDTH = 980;
const HEIGHT = 490;
const PANEL = { width: 380, height: 300, top: 90, left: [90, 570] } as const;
const STYLE: Record<string, { color: string; dash: string }> = {
  'baseline/plain': { color: '#d95f02', dash: '6 4' },
  'hubbub/plain': { color: '#1b9e77', dash: '' },
  'hubbub/v1': { color: '#7570b3', dash: '' },
};

const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const styleOf = (series: Series) =>
  STYLE[`${series.server}/${series.protocol}`] ?? { color: '#333', dash: '' };

/** Decades covering the values, widened to at least [lo, hi]. */
const decades = (values: number[], lo: number, hi: number): [number, number] => {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const min = Math.min(lo, ...finite);
  const max = Math.max(hi, ...finite);
  return [Math.floor(Math.log10(min)), Math.ceil(Math.log10(max))];
};

export const p99Chart = (run: BenchRun): string => {
  const plotted = run.series.filter((s) => s.skipped === undefined && s.steps.length > 0);
  const steps = plotted.flatMap((s) => s.steps);
  const [xLo, xHi] = decades(
    steps.map((s) => s.achieved),
    10_000,
    500_000,
  );
  const [yLo, yHi] = decades(
    steps.map((s) => s.p99Ms),
    0.1,
    1_000,
  );
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">p99 latency against delivered rate (each server pinned to one core)</text>`,
    `<text x="${WIDTH / 2}" y="44" text-anchor="middle" fill="#555">64-byte messages; log scales; hollow point: messages missing; grey ring: generator saturated; red dashes: ${CLEAN_P99_MS} ms</text>`,
  ];
  SCENARIOS.forEach((scenario, index) => {
    const left = PANEL.left[index] ?? 0;
    const { top, width, height } = PANEL;
    const x = (value: number): number =>
      left + ((Math.log10(Math.max(value, 10 ** xLo)) - xLo) / (xHi - xLo)) * width;
    const y = (value: number): number =>
      top +
      height -
      ((Math.log10(Math.min(Math.max(value, 10 ** yLo), 10 ** yHi)) - yLo) / (yHi - yLo)) * height;
    out.push(`<g>`);
    out.push(
      `<text x="${left + width / 2}" y="${top - 10}" text-anchor="middle" font-size="13" font-weight="bold">Scenario ${scenario.id}: ${scenario.clients.toLocaleString('en-US')} clients, ${scenario.senders} senders</text>`,
    );
    out.push(
      `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#999"/>`,
    );
    // Grid and tick labels: 1, 2, 5 per decade on x; decades on y.
    for (let d = xLo; d < xHi + 1; d++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** d;
        if (v < 10 ** xLo || v > 10 ** xHi) continue;
        const px = x(v).toFixed(1);
        out.push(
          `<line x1="${px}" y1="${top}" x2="${px}" y2="${top + height}" stroke="${m === 1 ? '#ddd' : '#f0f0f0'}"/>`,
        );
        out.push(
          `<text x="${px}" y="${top + height + 16}" text-anchor="middle" fill="#333">${rate(v)}</text>`,
        );
      }
    }
    for (let d = yLo; d <= yHi; d++) {
      const v = 10 ** d;
      const py = y(v).toFixed(1);
      out.push(`<line x1="${left}" y1="${py}" x2="${left + width}" y2="${py}" stroke="#ddd"/>`);
      out.push(
        `<text x="${left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle" fill="#333">${v >= 1 ? v.toLocaleString('en-US') : v}</text>`,
      );
    }
    const target = y(CLEAN_P99_MS).toFixed(1);
    out.push(
      `<line x1="${left}" y1="${target}" x2="${left + width}" y2="${target}" stroke="#d62728" stroke-dasharray="4 3"/>`,
    );
    out.push(
      `<text x="${left + width / 2}" y="${top + height + 36}" text-anchor="middle">delivered messages per second (all receivers)</text>`,
    );
    out.push(
      `<text transform="translate(${left - 52} ${top + height / 2}) rotate(-90)" text-anchor="middle">p99 latency (ms)</text>`,
    );
    for (const series of plotted.filter((s: SeriesResult) => s.scenario === scenario.id)) {
      const { color, dash } = styleOf(series);
      const points = series.steps.map((step) => ({
        px: x(step.achieved),
        py: y(step.p99Ms),
        step,
      }));
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`} points="${points.map((p) => `${p.px.toFixed(1)},${p.py.toFixed(1)}`).join(' ')}"/>`,
      );
      for (const { px, py, step } of points) {
        const fill = everyMessageDelivered(step) ? color : '#ffffff';
        if (step.saturated !== undefined) {
          out.push(
            `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="8" fill="none" stroke="#888" stroke-width="1.5"/>`,
          );
        }
        out.push(
          `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4" fill="${fill}" stroke="${color}" stroke-width="2"><title>${xml(`${seriesLabel(series)}, target ${rate(step.rate)}/s: delivered ${rate(step.achieved)}/s, p99 ${step.p99Ms} ms${step.saturated === undefined ? '' : `, generator saturated (${step.saturated})`}`)}</title></circle>`,
        );
      }
    }
    out.push(`</g>`);
  });
  // Legend under the panels.
  const legend: Series[] = [
    { server: 'baseline', protocol: 'plain' },
    { server: 'hubbub', protocol: 'plain' },
    { server: 'hubbub', protocol: 'v1' },
  ];
  const legendY = HEIGHT - 24;
  legend.forEach((series, i) => {
    const lx = 170 + i * 240;
    const { color, dash } = styleOf(series);
    const shown = plotted.some((s) => s.server === series.server && s.protocol === series.protocol);
    out.push(
      `<line x1="${lx}" y1="${legendY}" x2="${lx + 36}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
      `<circle cx="${lx + 18}" cy="${legendY}" r="4" fill="${color}"/>`,
      `<text x="${lx + 44}" y="${legendY}" dominant-baseline="middle">${xml(seriesLabel(series))}${shown ? '' : ' (not run)'}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
};
