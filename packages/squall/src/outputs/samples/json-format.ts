import type { MetricDef, Tags } from '../../metrics/types.js';
import type { ThresholdSet } from '../../thresholds/types.js';
import type { SampleFormat } from './sample-output.js';

/**
 * k6's JSON lines: `{"type":"Metric","data":{...},"metric":NAME}` once per metric (before its first
 * point), then `{"type":"Point","data":{"time","value","tags"},"metric":NAME}` per sample. Times
 * are RFC 3339 in UTC with millisecond precision.
 */
export const JSON_FORMAT: SampleFormat = {
  name: 'json',
  header: () => '',
  metric(def: MetricDef, thresholds: ThresholdSet): string {
    const own = thresholds.filter((t) => t.metric === def.name);
    const data = {
      name: def.name,
      type: def.type,
      contains: def.contains,
      thresholds: own.filter((t) => Object.keys(t.filter).length === 0).flatMap((t) => t.thresholds.map((x) => x.source)),
      submetrics:
        own.some((t) => Object.keys(t.filter).length > 0)
          ? own.filter((t) => Object.keys(t.filter).length > 0).map((t) => ({ name: t.key, tags: t.filter, thresholds: t.thresholds.map((x) => x.source) }))
          : null,
    };
    return `${JSON.stringify({ type: 'Metric', data, metric: def.name })}\n`;
  },
  sample(name: string, timeMs: number, value: number, tags: Tags): string {
    const t = Object.keys(tags).length === 0 ? null : tags;
    return `{"type":"Point","data":{"time":"${new Date(timeMs).toISOString()}","value":${JSON.stringify(value)},"tags":${JSON.stringify(t)}},"metric":${JSON.stringify(name)}}\n`;
  },
};
