/**
 * Where run options come from besides the script and flags, in k6's order of precedence:
 * defaults < config file (`--config`) < script `options` < environment (SQUALL_*, else K6_*) < flags.
 */
export { readConfigFile, type ConfigFile } from './config-file.js';
export { ENV_OPTIONS, ENV_SETTINGS, envValue, optionsFromEnv, type EnvSettings } from './env-options.js';
export { layerOverrides } from './layer.js';
