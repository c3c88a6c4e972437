import { ConstantVariableBuilder, DatasourceVariableBuilder, QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from './panels.js';

/**
 * Template variables of the boards. Multi-value ones have the All value `.*`, which also matches
 * series without the label (a run without a `tenant` tag still shows on `tenant=~"$tenant"`).
 */

/** `$datasource`: the Prometheus data source (every panel reads it). */
export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus');
}

/** A label's values in one metric, multi-select with All = `.*`. */
function labelVariable(name: string, label: string, metric: string, description: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(DATASOURCE)
    .query(`label_values(${metric}, ${name})`)
    .definition(`label_values(${metric}, ${name})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

/** `$testid`: squall's `testid` tag (`squall run --tag testid=...`), a constant label on every k6_* series. */
export function testIdVariable(): QueryVariableBuilder {
  return labelVariable('testid', 'Test id', 'k6_http_reqs_total', 'The testid tag of squall runs: squall run --tag testid=NAME');
}

/** `$scenario`: the scenario tag of squall's series. */
export function scenarioVariable(): QueryVariableBuilder {
  return labelVariable('scenario', 'Scenario', 'k6_http_reqs_total{testid=~"$testid"}', 'Scenario of the squall run');
}

/**
 * `$tenant`: the test-wide `tenant` tag of a per-tenant run (`squall run --tag tenant=NAME`). Test-wide
 * tags become labels on every series; per-request tags other than the system ones are not kept per series.
 */
export function tenantVariable(): QueryVariableBuilder {
  return labelVariable('tenant', 'Tenant', 'k6_http_reqs_total{testid=~"$testid"}', 'The tenant a run targets: squall run --tag tenant=NAME');
}

/** `$scope`: the activity target's query scope label (tenant, platform, denied). */
export function scopeVariable(): QueryVariableBuilder {
  return labelVariable('scope', 'Scope', 'activity_queries_total', 'Query scope type of the activity target');
}

/** `$instance`: which scraped process of the target. */
export function instanceVariable(): QueryVariableBuilder {
  return labelVariable('instance', 'Instance', 'activity_process_cpu_seconds_total', 'Scraped target process');
}

/**
 * `$baseline`: the testid of a baseline run, drawn as a dashed grey reference (its final figures
 * over `$baseline_window`). Empty by default: no overlay. `squall dashboards --baseline ID` presets it.
 */
export function baselineVariables(baselineTestId: string | undefined): (QueryVariableBuilder | ConstantVariableBuilder)[] {
  const v = new QueryVariableBuilder('baseline')
    .label('Baseline test id')
    .description('testid of a baseline run to overlay (dashed grey)')
    .datasource(DATASOURCE)
    .query('label_values(k6_http_reqs_total, testid)')
    .definition('label_values(k6_http_reqs_total, testid)')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .includeAll(false)
    .multi(false);
  const id = baselineTestId ?? '';
  v.current({ text: id === '' ? 'none' : id, value: id });
  const window = new ConstantVariableBuilder('baseline_window').value('30d').description('How far back the baseline run may lie');
  return [v, window.label('Baseline window')];
}
