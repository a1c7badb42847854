import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, Line, LinePath } from '@visx/shape';
import { token } from '@atlaskit/tokens';

/**
 * A KPI's months as an SVG chart (visx: d3 scales and React SVG, no eval, no canvas): a line or bars per
 * month, the policy target as a dashed line, and months without data left out — a gap in the line, no bar —
 * never drawn as 0 %. Colours are Atlassian design tokens, so light and dark themes follow Jira. The chart
 * is an image with a text summary (`summary`); the data table beside it (KpiCard) carries every value and is
 * the keyboard path to a month's releases, so the marks here answer the mouse only.
 */
export interface TrendPoint {
  month: string;
  /** What the axis shows under the month. */
  label: string;
  value: number | null;
}

export interface KpiTrendChartProps {
  points: readonly TrendPoint[];
  target: number;
  kind: 'line' | 'bars';
  /** Ratios are drawn on 0…100 %. */
  ratio: boolean;
  formatTick: (value: number) => string;
  /** The text alternative: what the chart shows, in words. */
  summary: string;
  onSelectMonth?: (month: string) => void;
  testId?: string;
}

const W = 360;
const H = 150;
const M = { top: 10, right: 10, bottom: 24, left: 42 };

const colours = {
  series: token('color.chart.blue.bold', '#388BFF'),
  target: token('color.chart.orange.bolder', '#C25100'),
  axis: token('color.border', '#091E4224'),
  text: token('color.text.subtle', '#44546F'),
  surface: token('elevation.surface', '#FFFFFF'),
};

export default function KpiTrendChart({ points, target, kind, ratio, formatTick, summary, onSelectMonth, testId }: KpiTrendChartProps) {
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const top = ratio ? Math.max(1, target, ...values) : Math.max(target, ...values, 0) * 1.15 || 1;
  const x = scaleBand<string>({ domain: points.map((p) => p.month), range: [M.left, W - M.right], padding: 0.25 });
  const y = scaleLinear<number>({ domain: [0, top], range: [H - M.bottom, M.top], nice: true });
  const cx = (month: string) => (x(month) ?? 0) + x.bandwidth() / 2;
  const labelOf = new Map(points.map((p) => [p.month, p.label]));
  const select = (month: string) => onSelectMonth?.(month);
  const mark = { cursor: onSelectMonth ? 'pointer' : 'default' } as const;

  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary} data-testid={testId} style={{ maxWidth: 560, display: 'block', overflow: 'visible' }}>
      <AxisLeft
        left={M.left}
        scale={y}
        numTicks={4}
        tickFormat={(v) => formatTick(Number(v))}
        stroke={colours.axis}
        tickStroke={colours.axis}
        tickLabelProps={() => ({ fill: colours.text, fontSize: 10, textAnchor: 'end', dx: -4, dy: 3 })}
      />
      <AxisBottom
        top={H - M.bottom}
        scale={x}
        tickFormat={(m) => labelOf.get(m) ?? m}
        stroke={colours.axis}
        tickStroke={colours.axis}
        tickLabelProps={() => ({ fill: colours.text, fontSize: 9, textAnchor: 'middle' })}
      />
      <Group>
        {kind === 'bars'
          ? points.map((p) =>
              p.value === null ? null : (
                <Bar
                  key={p.month}
                  data-month={p.month}
                  x={x(p.month) ?? 0}
                  y={y(p.value)}
                  width={x.bandwidth()}
                  height={Math.max(0, H - M.bottom - y(p.value))}
                  style={{ ...mark, fill: colours.series }}
                  onClick={() => select(p.month)}
                />
              ),
            )
          : (
            <>
              <LinePath<TrendPoint>
                data={[...points]}
                defined={(p) => p.value !== null}
                x={(p) => cx(p.month)}
                y={(p) => y(p.value ?? 0)}
                style={{ stroke: colours.series, strokeWidth: 2, fill: 'none' }}
              />
              {points.map((p) =>
                p.value === null ? null : (
                  <circle
                    key={p.month}
                    data-month={p.month}
                    cx={cx(p.month)}
                    cy={y(p.value)}
                    r={4}
                    style={{ ...mark, fill: colours.series, stroke: colours.surface, strokeWidth: 1.5 }}
                    onClick={() => select(p.month)}
                  />
                ),
              )}
            </>
          )}
        <Line
          from={{ x: M.left, y: y(target) }}
          to={{ x: W - M.right, y: y(target) }}
          data-testid={testId ? `${testId}-target` : undefined}
          style={{ stroke: colours.target, strokeWidth: 1.5, strokeDasharray: '5 3' }}
        />
      </Group>
    </svg>
  );
}
