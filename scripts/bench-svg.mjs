/**
 * A horizontal bar chart as a standalone SVG: one bar per row, a dashed line at `reference` (the
 * same-run baseline, e.g. 1× bare express or 1× the fake read models). No dependencies.
 *
 * @param {{ title: string, unit: string, rows: { label: string, value: number }[], reference?: number }} chart
 * @returns {string}
 */
export function barChartSvg({ title, unit, rows, reference }) {
  const barHeight = 18;
  const gap = 6;
  const labelWidth = 360;
  const plotWidth = 420;
  const top = 34;
  const height = top + rows.length * (barHeight + gap) + 24;
  const max = Math.max(reference ?? 0, ...rows.map((row) => row.value), 1e-9);
  const x = (value) => labelWidth + (value / max) * plotWidth;
  const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + plotWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * (barHeight + gap);
    parts.push(`<text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${escape(row.label)}</text>`);
    parts.push(
      `<rect x="${labelWidth}" y="${y}" width="${Math.max(1, x(row.value) - labelWidth)}" height="${barHeight}" fill="${row.value > (reference ?? Infinity) ? '#d9534f' : '#4a90d9'}"/>`,
    );
    parts.push(`<text x="${x(row.value) + 4}" y="${y + 13}">${escape(formatValue(row.value))} ${escape(unit)}</text>`);
  });
  if (reference !== undefined) {
    const rx = x(reference);
    parts.push(`<line x1="${rx}" y1="${top - 4}" x2="${rx}" y2="${height - 20}" stroke="#333" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${rx}" y="${height - 6}" text-anchor="middle">baseline ${escape(formatValue(reference))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function formatValue(value) {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(2);
}
