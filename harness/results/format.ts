// Number formatting shared by the summary and the CLI tables.

/** 3 significant digits with k/M/G/T suffixes: 1.23M. */
export function engineering(v: number): string {
  const units: [number, string][] = [[1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  // Rounded before the unit is chosen, so 999,600 is 1.00M rather than 1.00e+3k.
  const rounded = Number(v.toPrecision(3));
  for (const [scale, suffix] of units) if (Math.abs(rounded) >= scale) return `${(rounded / scale).toPrecision(3)}${suffix}`;
  return v.toPrecision(3);
}

/** `1 cell`, `2 cells`; `plural` for words that do not just take an s. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `4.5 s`, `12.0 min`, `3.5 h`. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  return seconds < 5400 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;
}
