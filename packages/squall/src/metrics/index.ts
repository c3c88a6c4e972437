/** Public entry of the metrics layer: worker-side collection, main-thread aggregation, time series. */
export { Collector, METRIC_NAME_PATTERN } from './collector.js';
export type { CollectorOptions } from './collector.js';
export { Aggregator, DEFAULT_MAX_SERIES_PER_METRIC } from './aggregator.js';
export type { AggregatorOptions, BuildSummaryOptions, SubMetricSpec } from './aggregator.js';
export {
  OTHER_SERIES_TAGS,
  TIME_SERIES_TREND_STATS,
  PointBuilder,
  formatTimeSeriesLine,
  mergePoints,
  mergeWindow,
} from './time-series-point.js';
export type { TimeSeriesMetric, TimeSeriesPoint, TimeSeriesSeries, TimeSeriesValues } from './time-series-point.js';
export { parseTimeSeriesLine } from './time-series-read.js';
export { DEFAULT_MAX_INTERVALS, TimeSeriesStore } from './time-series.js';
export { DEFAULT_SUMMARY_TREND_STATS, parseTrendStat, parseTrendStats } from './trend-stats.js';
export type { TrendStat } from './trend-stats.js';
export { SERIES_TAGS, formatSubMetricKey, projectTags, tagsKey, tagsMatch } from './tags.js';
export {
  HDR_SCALE,
  addEncodedHdr,
  addHdrCounts,
  createHdr,
  decodeHdr,
  encodeHdr,
  hdrCount,
  hdrCounts,
  hdrPercentile,
  hdrPercentiles,
  mergeHdr,
  recordHdr,
  resetHdr,
} from './hdr.js';
export type { Hdr, HdrCounts } from './hdr.js';
export { buildRootGroup } from './group-tree.js';
export type { CheckTally } from './group-tree.js';
