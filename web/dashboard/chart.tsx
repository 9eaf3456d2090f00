/** A uPlot chart as a preact component: created once, `setData` on every new version of the data. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartProps {
  /** Options for a given width (px). */
  readonly options: (width: number) => uPlot.Options;
  readonly data: uPlot.AlignedData;
  /** Changes whenever `data` (mutated in place) has new points. */
  readonly version: number;
  readonly testId: string;
}

/** Dates on the axes in UTC: feed times are UTC (docs/live.md). */
export const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

export function Chart({ options, data, version, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(options(Math.max(240, el.clientWidth)), data, el);
    plot.current = u;
    const resize = () => u.setSize({ width: Math.max(240, el.clientWidth), height: u.height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      u.destroy();
      plot.current = null;
    };
  }, []);
  // `version` stands for the data, which is mutated in place
  useEffect(() => {
    plot.current?.setData(data);
  }, [version]);
  return <div class="chart" data-testid={testId} ref={box} />;
}
