/**
 * Value against the floor, with the shocked band: between the book's value and its value after
 * the protocol's shock (spot −10 %, vol +10 points by default: V − shocked loss); and the cushion
 * (V − F)/V in units of the crash tolerance 1/m (m·cushion: below 1, one more fall of 1/m breaks
 * the floor — Black & Perold 1992).
 */
import type uPlot from 'uplot';
import { Chart, utc } from '../chart.tsx';
import { num, pct } from '../format.ts';
import type { Series } from '../model.ts';
import type { DashState } from '../types.ts';

const valueOptions =
  (title: string) =>
  (width: number): uPlot.Options => ({
    title,
    width,
    height: 240,
    tzDate: utc,
    series: [
      {},
      { label: 'value', stroke: '#2563eb', width: 2 },
      { label: 'floor', stroke: '#111827', width: 1.5, dash: [6, 4] },
      { label: 'shocked value', stroke: '#dc2626', width: 1 },
    ],
    bands: [{ series: [1, 3], fill: 'rgba(220, 38, 38, 0.12)' }],
    axes: [{}, { size: 60 }],
  });

const cushionOptions = (width: number): uPlot.Options => ({
  title: 'cushion in units of 1/m',
  width,
  height: 160,
  tzDate: utc,
  series: [{}, { label: 'm·cushion', stroke: '#7c3aed', width: 2 }],
  scales: { y: { range: (_u, lo, hi) => [Math.min(0, lo), Math.max(1.05, hi)] } },
  axes: [{}, { size: 60 }],
});

export function ValuePanel({
  s,
  series,
  version,
}: {
  s: DashState | undefined;
  series: Series;
  version: number;
}) {
  const f = s?.floor;
  return (
    <section class="panel wide" data-testid="value-panel">
      <h2>Value vs floor</h2>
      <div class="figures">
        <Figure label="value" value={num(f?.value)} testId="value" />
        <Figure label="floor" value={num(f?.floor)} testId="floor" />
        <Figure label="distance V − F" value={num(f?.distance)} />
        <Figure label="shocked loss" value={num(s?.shockedLoss)} testId="shocked-loss" />
        <Figure label="cushion (V − F)/V" value={pct(f?.cushion)} />
        <Figure
          label={`cushion in 1/m (m = ${num(f?.multiplier, 0)})`}
          value={num(f?.cushionUnits)}
          testId="cushion-units"
        />
      </div>
      <Chart
        testId="value-chart"
        options={valueOptions('value, floor and shocked value')}
        data={[series.t, series.value, series.floor, series.shocked]}
        version={version}
      />
      <Chart
        testId="cushion-chart"
        options={cushionOptions}
        data={[series.t, series.cushionUnits]}
        version={version}
      />
    </section>
  );
}

export function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div class="figure">
      <div class="figure-label">{label}</div>
      <div class="figure-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}
