// Public entry of dashboards and alert rules as code (issue 18).
export { buildDashboards, writeDashboards, DASHBOARD_FILES, RULES_FILE } from './write-dashboards.js';
export type { DashboardSet, WrittenDashboards } from './write-dashboards.js';
export { computeAlertRules, formatAlertRules, alertRuleOf } from './alert-rules.js';
export type { AlertRule, RuleFile } from './alert-rules.js';
export type { BoardOptions } from './load-test-board.js';
export { sloSquallFigure } from './squall-series.js';
