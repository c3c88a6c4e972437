/** Human-readable views of a run's plan: the start banner and one-line scenario descriptions. */
export { formatBanner, type BannerInput } from './banner.js';
export { describeScenario, shortDuration } from './describe-scenario.js';
