import { formatChange, formatFigure } from './format-value.js';
import { escapeXml as x } from './format-value.js';
import type { ReportModel } from './report-model.js';

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly failure?: { readonly message: string; readonly body: string };
}

function suite(name: string, cases: readonly Case[], timestamp: string, seconds: number): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const body = cases.map((c) => {
    // Thresholds and checks are judged over the whole run: each case took the run's duration.
    const open = `    <testcase classname="${x(c.classname)}" name="${x(c.name)}" time="${seconds.toFixed(3)}"`;
    if (c.failure === undefined) return `${open}/>`;
    return `${open}>\n      <failure message="${x(c.failure.message)}" type="${x(name)}">${x(c.failure.body)}</failure>\n    </testcase>`;
  });
  return [`  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${x(timestamp)}" time="${seconds.toFixed(3)}">`, ...body, '  </testsuite>'].join('\n');
}

/**
 * Formats JUnit XML: one test case per threshold, per check and (with a baseline) per regression
 * rule; failures carry expected and actual values, so GitLab, Jenkins and GitHub show them. Pure.
 */
export function formatJunitReport(m: ReportModel): string {
  const f = m.figures;
  const ts = f.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '');
  const seconds = f.durationMs / 1000;
  const suites: { name: string; cases: Case[] }[] = [];
  suites.push({
    name: `${f.test}.thresholds`,
    cases: m.thresholds.map((t) => ({
      classname: `${f.test}.thresholds.${t.key}`,
      name: t.source,
      failure: t.status === 'FAIL' ? { message: `threshold ${t.key}: '${t.source}' failed: expected ${t.target}, actual ${t.actual}`, body: `expected: ${t.target}\nactual: ${t.actual}\n` } : undefined,
    })),
  });
  suites.push({
    name: `${f.test}.checks`,
    cases: f.checks.map((c) => {
      const total = c.passes + c.fails;
      const actual = `${c.passes}/${total} passed (${total === 0 ? 0 : ((c.passes / total) * 100).toFixed(2)}%)`;
      return {
        classname: `${f.test}.checks`,
        name: c.path.replace(/^::/, ''),
        failure: c.fails > 0 ? { message: `check '${c.path.replace(/^::/, '')}' failed ${c.fails} of ${total} times`, body: `expected: every check passes (${total}/${total})\nactual: ${actual}\n` } : undefined,
      };
    }),
  });
  if (m.baseline !== undefined) {
    suites.push({
      name: `${f.test}.regressions`,
      cases: m.baseline.deltas.filter((d) => d.rule !== undefined).map((d) => ({
        classname: `${f.test}.regressions`,
        name: `${d.key} ${d.rule ?? ''}`,
        failure:
          d.verdict === 'regression'
            ? {
                message: `${d.key} regressed ${formatChange(d.key, d.relative, d.points)} against ${m.baseline?.base.label ?? 'the baseline'} (rule ${d.rule ?? ''})`,
                body: `expected: within ${d.rule ?? ''} of ${formatFigure(d.key, d.base)}\nactual: ${formatFigure(d.key, d.current)} (${formatChange(d.key, d.relative, d.points)})${d.confidence === undefined ? '' : `, confidence ${(d.confidence * 100).toFixed(1)}%`}\n`,
              }
            : undefined,
      })),
    });
  }
  const tests = suites.reduce((a, s) => a + s.cases.length, 0);
  const failures = suites.reduce((a, s) => a + s.cases.filter((c) => c.failure !== undefined).length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`squall ${f.test}`)}" tests="${tests}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">`,
    ...suites.map((s) => suite(s.name, s.cases, ts, seconds)),
    '</testsuites>',
    '',
  ].join('\n');
}
