/** The chart: stacked bands, the budget line and the markers, rasterised to a real PNG. */
import { BUDGET } from '../../../guide';
import { costChartSvg, svgToPng } from '../../../cost/chart';
import { DEFAULT_MIX, saturations, breakEvens } from '../../../cost/model';
import { model } from './fixtures';

describe('costChartSvg', () => {
  const m = model();
  const input = {
    model: m,
    mix: DEFAULT_MIX,
    title: 'test',
    breakEven: breakEvens(m, DEFAULT_MIX).total,
    saturation: saturations(m, DEFAULT_MIX),
    from: 100,
    to: 100_000,
  };

  it('draws one band per service group, the budget line and a marker where the budget breaks', () => {
    const svg = costChartSvg(input);
    expect(svg.match(/<polygon /g)).toHaveLength(8);
    expect(svg).toContain(`budget $${BUDGET.monthlyUsd}/month`);
    expect(svg).toContain('budget breaks:');
    expect(svg).toContain('worker concurrency 10 (prod)');
  });

  it('lists the limits past the right edge instead of drawing them', () => {
    const svg = costChartSvg({ ...input, to: 1000 });
    expect(svg).toContain('beyond the chart:');
  });

  it('renders a PNG without a browser', async () => {
    const png = await svgToPng(costChartSvg(input));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1100); // IHDR width
  });
});
