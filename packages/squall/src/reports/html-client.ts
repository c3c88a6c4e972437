/**
 * The browser script of the HTML report: reads the inlined JSON (#squall-data) and draws every
 * chart with uPlot (inlined beside it). Plain ES2017, no network. Each line names its unit and
 * each unit gets its own y axis (left, then right), sized to its widest label so none is clipped;
 * the x axis is elapsed time; threshold lines are dashed red, baseline lines dashed grey.
 * Sets `window.squallCharts` (charts drawn) and `window.squallPlots` ({ id, u, lines }) so tests
 * (and curious users) can tell rendering finished and inspect it.
 */
export const HTML_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('squall-data').textContent);
  var c = data.charts;
  var colors = ['#2563eb', '#16a34a', '#f59e0b', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569', '#9333ea'];
  var THRESHOLD = '#ff0000';
  var BASELINE = '#94a3b8';
  var FONT = '12px sans-serif';
  var plots = [];
  var measure = document.createElement('canvas').getContext('2d');
  measure.font = FONT;
  function width(el) { return Math.max(320, (el.clientWidth || 900) - 8); }
  function p3(v) { return +(+v).toPrecision(3) + ''; }
  function fmtMs(v) { return v == null || !isFinite(v) ? '' : v === 0 ? '0' : Math.abs(v) < 1 ? p3(v * 1000) + 'µs' : Math.abs(v) < 1000 ? p3(v) + 'ms' : p3(v / 1000) + 's'; }
  function fmtNum(v) { return v == null || !isFinite(v) ? '' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : p3(v); }
  function fmtBytes(v) {
    if (v == null || !isFinite(v)) return '';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return p3(v) + ' ' + u[i];
  }
  function fmtPct(v) { return v == null || !isFinite(v) ? '' : p3(v * 100) + '%'; }
  function fmtElapsed(v) {
    if (v == null || !isFinite(v)) return '';
    var s = Math.round(v);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m, ss = (r < 10 ? '0' : '') + r;
    return (h > 0 ? h + ':' : '') + mm + ':' + ss;
  }
  var UNITS = {
    ms: { fmt: fmtMs, label: 'latency' },
    per_s: { fmt: fmtNum, label: 'per second' },
    count: { fmt: fmtNum, label: 'count' },
    bytes: { fmt: fmtBytes, label: 'bytes' },
    cores: { fmt: fmtPct, label: 'CPU (% of a core)' },
    ratio: { fmt: fmtPct, label: 'share' }
  };
  function unitOf(u) { return UNITS[u] || UNITS.count; }
  // Axis size from its widest tick label: uPlot's fixed default clips long labels (1,000,000; 512 MiB).
  function axisSize(self, values, axisIdx, cycleNum) {
    var axis = self.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var w = 0;
    (values || []).forEach(function (v) { w = Math.max(w, measure.measureText(v).width); });
    return Math.ceil(w) + 18 + (axis.label ? 20 : 0);
  }
  function lineSeries(l, i) {
    var u = unitOf(l.unit);
    var s = { label: l.name, scale: l.unit, stroke: colors[i % colors.length], width: 1.5, points: { show: false }, value: function (self, v) { return u.fmt(v); } };
    if (l.style === 'area') s.fill = 'rgba(37,99,235,0.08)';
    if (l.style === 'threshold') { s.stroke = THRESHOLD; s.dash = [8, 5]; s.width = 2; }
    if (l.style === 'baseline') { s.stroke = BASELINE; s.dash = [4, 4]; s.width = 2; }
    if (/^failed|^error|^status|^events missing/.test(l.name) && !l.style) s.stroke = '#b91c1c';
    return s;
  }
  function timeChart(chart) {
    var el = document.getElementById(chart.id);
    if (!el) return;
    var units = [];
    chart.lines.forEach(function (l) { if (units.indexOf(l.unit) < 0) units.push(l.unit); });

    var scales = { x: { time: false } };
    units.forEach(function (u) {
      scales[u] = { range: function (self, min, max) {
        var lo = Math.min(0, min == null ? 0 : min), hi = max == null || !isFinite(max) ? 1 : max;
        if (hi <= lo) hi = lo + 1;
        return [lo, hi * 1.08];
      } };
    });
    // A limit far above the data would squash it flat against the axis: say so instead of drawing it.
    var dataMax = {};
    chart.lines.forEach(function (l) {
      if (l.style === 'threshold') return;
      l.values.forEach(function (v) { if (v != null && isFinite(v)) dataMax[l.unit] = Math.max(dataMax[l.unit] || 0, v); });
    });
    var lines = chart.lines.map(function (l) {
      var m = dataMax[l.unit];
      if (l.style !== 'threshold' || !(m > 0) || l.values[0] <= 5 * m) return l;
      return { name: l.name + ' (far above the data: not drawn)', unit: l.unit, style: l.style, offScale: true, values: l.values.map(function () { return null; }) };
    });
    var axes = [{ scale: 'x', font: FONT, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400], label: 'elapsed (m:ss)', labelFont: FONT, labelSize: 18, values: function (self, vals) { return vals.map(fmtElapsed); }, size: 40 }];
    units.forEach(function (u, i) {
      var f = unitOf(u);
      axes.push({ scale: u, side: i % 2 === 0 ? 3 : 1, font: FONT, label: f.label, labelFont: FONT, labelSize: 18, grid: { show: i === 0 }, values: function (self, vals) { return vals.map(f.fmt); }, size: axisSize });
    });
    var series = [{ label: 'elapsed', value: function (self, v) { return fmtElapsed(v); } }];
    var d = [c.t];
    lines.forEach(function (l, i) { series.push(lineSeries(l, i)); d.push(l.values); });
    var u = new uPlot({ title: chart.title, width: width(el), height: 280, scales: scales, axes: axes, series: series, legend: { live: true } }, d, el);
    plots.push({ id: chart.id, u: u, el: el, lines: lines });
  }
  c.charts.forEach(timeChart);
  var dist = data.distribution;
  var distEl = document.getElementById('chart-distribution');
  if (dist.valuesMs.length > 0 && distEl) {
    var xs = dist.percentiles.map(function (p) { return 1 / (1 - p / 100); });
    var pct = function (v) { var p = (1 - 1 / v) * 100; return isFinite(p) ? +p.toPrecision(6) + '%' : ''; };
    var u = new uPlot({
      title: 'Latency distribution (' + c.latencyMetric + ', whole run)', width: width(distEl), height: 280,
      scales: { x: { time: false, distr: 3, log: 10 }, ms: {} },
      axes: [
        { font: FONT, label: 'percentile', labelFont: FONT, labelSize: 18, splits: function (self, i, min, max) { return [1, 10, 100, 1000, 10000, 100000].filter(function (v) { return v >= min && v <= max; }); }, values: function (self, vals) { return vals.map(pct); } },
        { scale: 'ms', font: FONT, label: 'latency', labelFont: FONT, labelSize: 18, values: function (self, vals) { return vals.map(fmtMs); }, size: axisSize }
      ],
      series: [{ label: 'percentile', value: function (self, v) { return v == null ? '' : pct(v); } }, { label: 'latency', scale: 'ms', stroke: colors[0], width: 1.5, points: { show: true, size: 4 }, value: function (self, v) { return fmtMs(v); } }],
      legend: { live: true }
    }, [xs, dist.valuesMs], distEl);
    plots.push({ id: 'chart-distribution', u: u, el: distEl, lines: [{ name: 'latency', unit: 'ms', values: dist.valuesMs }] });
  }
  window.addEventListener('resize', function () { plots.forEach(function (p) { p.u.setSize({ width: width(p.el), height: 280 }); }); });
  window.squallPlots = plots;
  window.squallCharts = plots.length;
})();
`;
