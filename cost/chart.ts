/**
 * Cost against traffic as a picture: monthly cost stacked per service over processes/day (log
 * scale), the $500 budget as a line, and markers where the budget breaks and where capacity
 * saturates. Drawn as SVG and rasterised to PNG in WebAssembly (@resvg/resvg-wasm) with a font
 * from npm (dejavu-fonts-ttf): no browser, no native download, the same picture everywhere.
 */
import { readFileSync } from 'node:fs';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { BUDGET } from '../guide';
import { monthlyLines, type Line, type Mix, type Model, type Saturation } from './model';

/** Services drawn as one band each, bottom to top. */
const BANDS: { label: string; color: string; services: string[] }[] = [
  { label: 'Lambda', color: '#f28e2b', services: ['Lambda'] },
  { label: 'Bedrock', color: '#4e79a7', services: ['Bedrock'] },
  { label: 'Aurora', color: '#59a14f', services: ['Aurora'] },
  { label: 'Step Functions', color: '#b07aa1', services: ['Step Functions'] },
  { label: 'CloudWatch + X-Ray', color: '#edc948', services: ['CloudWatch', 'X-Ray'] },
  { label: 'API Gateway + CloudFront + WAF', color: '#76b7b2', services: ['API Gateway', 'CloudFront', 'WAF'] },
  { label: 'VPC (NAT, endpoints)', color: '#9c755f', services: ['VPC'] },
  { label: 'the rest', color: '#bab0ac', services: [] },
];

const band = (l: Line) => {
  const i = BANDS.findIndex((b) => b.services.includes(l.service));
  return i < 0 ? BANDS.length - 1 : i;
};

export interface ChartInput {
  readonly model: Model;
  readonly mix: Mix;
  readonly title: string;
  readonly breakEven: number;
  readonly saturation: readonly Saturation[];
  /** Processes/day range of the x axis. */
  readonly from: number;
  readonly to: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (n: number) =>
  n >= 1e6 ? `${Number((n / 1e6).toPrecision(3))}M` : n >= 1e3 ? `${Number((n / 1e3).toPrecision(3))}k` : String(Math.round(n));

export function costChartSvg(c: ChartInput): string {
  const W = 1100,
    H = 640,
    L = 80,
    R = 330,
    T = 50,
    B = 60;
  const pw = W - L - R,
    ph = H - T - B;
  const steps = 120;
  const xs = Array.from({ length: steps + 1 }, (_, i) => c.from * (c.to / c.from) ** (i / steps));
  const stacks = xs.map((n) => {
    const sums = BANDS.map(() => 0);
    for (const l of monthlyLines(c.model, { perDay: n, mix: c.mix })) sums[band(l)]! += l.usd;
    return sums;
  });
  // Up to four budgets: past that the picture says only "far over".
  const top = Math.min(BUDGET.monthlyUsd * 4, Math.max(BUDGET.monthlyUsd * 1.5, ...stacks.map((s) => s.reduce((a, b) => a + b, 0))));
  const yMax = Math.ceil(top / 250) * 250;
  const x = (n: number) => L + (Math.log(n / c.from) / Math.log(c.to / c.from)) * pw;
  const y = (usd: number) => T + ph - (Math.min(usd, yMax) / yMax) * ph;
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${L}" y="30" font-size="18" font-weight="bold">${esc(c.title)}</text>`);
  // Grid and axes.
  for (let v = 0; v <= yMax; v += yMax / 8) {
    parts.push(
      `<line x1="${L}" x2="${L + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`,
      `<text x="${L - 8}" y="${y(v) + 4}" font-size="12" text-anchor="end">$${Math.round(v)}</text>`,
    );
  }
  for (let d = 10 ** Math.ceil(Math.log10(c.from)); d <= c.to; d *= 10) {
    parts.push(
      `<line x1="${x(d)}" x2="${x(d)}" y1="${T}" y2="${T + ph}" stroke="#e0e0e0"/>`,
      `<text x="${x(d)}" y="${T + ph + 18}" font-size="12" text-anchor="middle">${fmt(d)}</text>`,
    );
  }
  parts.push(`<text x="${L + pw / 2}" y="${H - 15}" font-size="13" text-anchor="middle">processes per day (log scale)</text>`);
  parts.push(
    `<text x="20" y="${T + ph / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 20 ${T + ph / 2})">USD per month</text>`,
  );
  // Stacked bands.
  const cumulative = stacks.map((s) => s.map((_, i) => s.slice(0, i + 1).reduce((a, b) => a + b, 0)));
  BANDS.forEach((b, i) => {
    const upper = xs.map((n, k) => `${x(n).toFixed(1)},${y(cumulative[k]![i]!).toFixed(1)}`);
    const lower = xs.map((n, k) => `${x(n).toFixed(1)},${y(i ? cumulative[k]![i - 1]! : 0).toFixed(1)}`).reverse();
    parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${b.color}" fill-opacity="0.85" stroke="none"/>`);
  });
  // Budget line.
  parts.push(
    `<line x1="${L}" x2="${L + pw}" y1="${y(BUDGET.monthlyUsd)}" y2="${y(BUDGET.monthlyUsd)}" stroke="#d62728" stroke-width="2.5" stroke-dasharray="8 4"/>`,
    `<text x="${L + 6}" y="${y(BUDGET.monthlyUsd) - 6}" font-size="13" fill="#d62728">budget $${BUDGET.monthlyUsd}/month</text>`,
  );
  // Markers.
  const markers: { at: number; label: string; color: string }[] = [];
  if (c.breakEven > 0 && Number.isFinite(c.breakEven))
    markers.push({ at: c.breakEven, label: `budget breaks: ${fmt(Math.round(c.breakEven))}/day`, color: '#d62728' });
  for (const s of c.saturation)
    if (Number.isFinite(s.perDay)) markers.push({ at: s.perDay, label: `${s.short}: ${fmt(Math.round(s.perDay))}/day`, color: '#333333' });
  const shown = markers.filter((m) => m.at >= c.from && m.at <= c.to).sort((a, b) => a.at - b.at);
  shown.forEach((m, i) => {
    const right = x(m.at) > L + pw * 0.6;
    parts.push(
      `<line x1="${x(m.at)}" x2="${x(m.at)}" y1="${T}" y2="${T + ph}" stroke="${m.color}" stroke-width="1.5" stroke-dasharray="3 3"/>`,
      `<circle cx="${x(m.at)}" cy="${T + 10 + i * 16}" r="4" fill="${m.color}"/>`,
      `<text x="${x(m.at) + (right ? -6 : 6)}" y="${T + 14 + i * 16}" font-size="11" fill="${m.color}" text-anchor="${right ? 'end' : 'start'}">${esc(m.label)}</text>`,
    );
  });
  const beyond = markers.filter((m) => m.at > c.to);
  // Legend.
  const lx = L + pw + 20;
  parts.push(`<text x="${lx}" y="${T + 4}" font-size="13" font-weight="bold">monthly cost by service</text>`);
  [...BANDS].reverse().forEach((b, i) => {
    parts.push(
      `<rect x="${lx}" y="${T + 16 + i * 22}" width="14" height="14" fill="${b.color}"/>`,
      `<text x="${lx + 20}" y="${T + 28 + i * 22}" font-size="12">${esc(b.label)}</text>`,
    );
  });
  const ly = T + 16 + BANDS.length * 22;
  parts.push(
    `<text x="${lx}" y="${ly + 14}" font-size="11" fill="#555">dashed lines: where the budget breaks</text>`,
    `<text x="${lx}" y="${ly + 30}" font-size="11" fill="#555">and where capacity saturates at the peak hour</text>`,
  );
  if (beyond.length)
    parts.push(
      `<text x="${lx}" y="${ly + 56}" font-size="11" fill="#555">beyond the chart:</text>`,
      ...beyond.map((m, i) => `<text x="${lx}" y="${ly + 72 + i * 15}" font-size="11" fill="#555">${esc(m.label)}</text>`),
    );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans">${parts.join('')}</svg>`;
}

let wasmReady: Promise<void> | undefined;

/** SVG → PNG, in WebAssembly. */
export async function svgToPng(svg: string): Promise<Buffer> {
  wasmReady ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  await wasmReady;
  const font = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const bold = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));
  const image = new Resvg(svg, {
    font: { fontBuffers: [font, bold], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
  });
  return Buffer.from(image.render().asPng());
}
