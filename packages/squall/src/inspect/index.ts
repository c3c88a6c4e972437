/** `squall inspect`: a script's resolved options and scenario plan, without running it. */
export { inspectScript, type InspectResult } from './inspect-script.js';
export { scenarioPlan, type ScenarioPlanView } from './scenario-plan.js';
