import { ThresholdsConfigBuilder, ThresholdsMode, type Threshold } from '@grafana/grafana-foundation-sdk/dashboard';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { Slo } from '../slos/index.js';

/** The Prometheus data source every panel reads: the `datasource` template variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** One query of a panel: PromQL and the legend (`{{label}}` placeholders). */
export interface PanelQuery {
  readonly expr: string;
  readonly legend: string;
  /** A baseline overlay query: drawn dashed and grey (see baselineOverlay). */
  readonly baseline?: boolean;
}

/** What a panel shows: title, what it tells the reader, the Grafana unit, its queries, an SLO line. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
  /** Draws the SLO's limit as a dashed red threshold line. */
  readonly slo?: Slo;
  /** Grid width out of 24 (default 12). */
  readonly span?: number;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function queryBuilder(q: PanelQuery, i: number, instant: boolean): DataqueryBuilder {
  const b = new DataqueryBuilder().datasource(DATASOURCE).expr(q.expr).legendFormat(q.legend).refId(REF_IDS[i] ?? `Q${i}`);
  if (instant) b.instant().format(PromQueryFormat.Table);
  else b.range();
  return b;
}

/** The limit in the panel's unit: a ratio objective on a percentunit panel stays a ratio. */
function thresholdSteps(slo: Slo | undefined): Threshold[] {
  const base: Threshold = { value: null, color: 'green' };
  if (slo === undefined) return [base];
  // Grafana colours from a step upwards: for a `min` objective the low side is the bad one.
  return slo.direction === 'max' ? [base, { value: slo.limit, color: 'red' }] : [{ value: null, color: 'red' }, { value: slo.limit, color: 'green' }];
}

/** A time series panel; with an SLO, its limit is a dashed threshold line; baseline queries dashed grey. */
export function timeSeriesPanel(spec: PanelSpec): TimeSeriesPanelBuilder {
  const p = new TimeSeriesPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.span ?? 12)
    .height(8)
    .lineWidth(1)
    .fillOpacity(8)
    .legend(new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.List).showLegend(true).placement(LegendPlacement.Bottom))
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(thresholdSteps(spec.slo)))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(spec.slo === undefined ? GraphThresholdsStyleMode.Off : GraphThresholdsStyleMode.Dashed));
  spec.queries.forEach((q, i) => p.withTarget(queryBuilder(q, i, false)));
  spec.queries.forEach((q, i) => {
    if (q.baseline !== true) return;
    p.overrideByQuery(REF_IDS[i] ?? `Q${i}`, [
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
      { id: 'color', value: { mode: 'fixed', fixedColor: 'gray' } },
      { id: 'custom.fillOpacity', value: 0 },
    ]);
  });
  return p;
}

/** A stat panel of one figure, coloured red past the SLO's limit. */
export function statPanel(spec: PanelSpec): StatPanelBuilder {
  const p = new StatPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.span ?? 6)
    .height(5)
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(thresholdSteps(spec.slo)));
  spec.queries.forEach((q, i) => p.withTarget(queryBuilder(q, i, false)));
  return p;
}

/** A table of an instant query (one row per series), e.g. the slowest request names. */
export function tablePanel(spec: PanelSpec): TablePanelBuilder {
  const p = new TablePanelBuilder().title(spec.title).description(spec.description).datasource(DATASOURCE).unit(spec.unit).span(spec.span ?? 12).height(8);
  spec.queries.forEach((q, i) => p.withTarget(queryBuilder(q, i, true)));
  return p;
}

/** `histogram_quantile(q, sum by (le, BY) (rate(NAME_bucket{SEL}[$__rate_interval])))`. */
export function quantile(q: number, histogram: string, selector: string, by: readonly string[] = []): string {
  const group = ['le', ...by].join(', ');
  return `histogram_quantile(${q}, sum by (${group}) (rate(${histogram}_bucket${selector}[$__rate_interval])))`;
}
