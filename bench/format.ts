// Number formatting shared by the table and the chart.

/** 25000 -> "25k", 47612 -> "47.6k", 400000 -> "400k". */
export const rate = (value: number): string => {
  if (!Number.isFinite(value)) return '—';
  if (value >= 1_000_000) return `${trim(value / 1_000_000)}M`;
  if (value >= 1_000) return `${trim(value / 1_000)}k`;
  return value.toFixed(0);
};

const trim = (value: number): string =>
  value >= 100
    ? value.toFixed(0)
    : value >= 10
      ? value.toFixed(1).replace(/\.0$/, '')
      : value.toFixed(2).replace(/\.?0+$/, '');

/** Milliseconds with two significant digits at most (0.43, 3.4, 27, 310). */
export const ms = (value: number): string => {
  if (!Number.isFinite(value)) return '—';
  if (value < 1) return value.toFixed(2);
  if (value < 10) return value.toFixed(1);
  return value.toFixed(0);
};

export const fixed = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '—';

export const percent = (share: number): string => {
  if (!Number.isFinite(share)) return '—';
  if (share >= 1) return '100%';
  const text = (share * 100).toFixed(2);
  return `${text === '100.00' ? '99.99' : text}%`;
};

export const thousands = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
