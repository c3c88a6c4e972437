/**
 * The browser script of the HTML report: reads the inlined JSON (#squall-data) and draws every
 * chart with uPlot (inlined beside it). Plain ES2017, no network. Sets `window.squallCharts` to the
 * number of charts drawn, so tests (and curious users) can tell rendering finished.
 */
export const HTML_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('squall-data').textContent);
  var c = data.charts;
  var colors = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];
  var plots = [];
  function width(el) { return Math.max(320, (el.clientWidth || 900) - 8); }
  function fmtMs(v) { return v == null ? '' : v === 0 ? '0' : v < 1 ? (v * 1000).toPrecision(3) + 'µs' : v < 1000 ? +v.toPrecision(3) + 'ms' : +(v / 1000).toPrecision(3) + 's'; }
  function fmtNum(v) { return v == null ? '' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : +v.toPrecision(3) + ''; }
  function series(name, i, fmt, extra) {
    var s = { label: name, stroke: colors[i % colors.length], width: 1.5, value: function (u, v) { return fmt(v); } };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }
  function chart(id, title, xs, lines, fmt, opts) {
    var el = document.getElementById(id);
    if (!el) return;
    var o = opts || {};
    var ser = [o.xSeries || {}];
    var d = [xs];
    lines.forEach(function (l, i) { ser.push(series(l.name, i, fmt, l.extra)); d.push(l.values); });
    var u = new uPlot({
      title: title,
      width: width(el),
      height: 260,
      scales: o.scales || { x: { time: true } },
      axes: o.axes || [{}, { values: function (u, vals) { return vals.map(fmt); }, size: 70 }],
      series: ser,
      legend: { live: true }
    }, d, el);
    plots.push({ u: u, el: el });
  }
  var t = c.t;
  chart('chart-requests', 'Requests per second', t, [
    { name: 'ok /s', values: c.requestsOk, extra: { fill: 'rgba(37,99,235,0.08)' } },
    { name: 'failed /s', values: c.requestsFailed, extra: { stroke: '#dc2626' } }
  ], fmtNum);
  c.latency.forEach(function (l, i) {
    chart('chart-latency-' + i, c.latencyMetric + ' percentiles' + (c.latency.length > 1 ? ' — scenario ' + l.scenario : ''), t, l.lines, fmtMs);
  });
  chart('chart-vus', 'Active VUs', t, [{ name: 'VUs', values: c.vus, extra: { fill: 'rgba(22,163,74,0.08)', stroke: '#16a34a' } }], fmtNum);
  var errLines = c.errors.length > 0 ? c.errors : [{ name: 'failed /s (none)', values: c.requestsFailed }];
  chart('chart-errors', 'Errors per second by error code / status', t, errLines.map(function (e, i) { return { name: e.name, values: e.values, extra: { stroke: colors[(i + 3) % colors.length] } }; }), fmtNum);
  if (c.resources.length > 0) chart('chart-resources', 'Resources', t, c.resources, fmtNum);
  var dist = data.distribution;
  if (dist.valuesMs.length > 0) {
    var xs = dist.percentiles.map(function (p) { return 1 / (1 - p / 100); });
    var pct = function (v) { var p = (1 - 1 / v) * 100; return isFinite(p) ? +p.toPrecision(6) + '%' : ''; };
    chart('chart-distribution', 'Latency distribution (' + c.latencyMetric + ', whole run)', xs, [{ name: 'latency', values: dist.valuesMs, extra: { points: { show: true, size: 4 } } }], fmtMs, {
      xSeries: { label: 'percentile', value: function (u, v) { return v == null ? '' : pct(v); } },
      scales: { x: { time: false, distr: 3, log: 10 } },
      axes: [{ splits: function (u, i, min, max) { return [1, 10, 100, 1000, 10000, 100000].filter(function (v) { return v >= min && v <= max; }); }, values: function (u, vals) { return vals.map(pct); } }, { values: function (u, vals) { return vals.map(fmtMs); }, size: 70 }]
    });
  }
  window.addEventListener('resize', function () { plots.forEach(function (p) { p.u.setSize({ width: width(p.el), height: 260 }); }); });
  window.squallCharts = plots.length;
})();
`;
