/**
 * Coordination of a distributed run through NATS JetStream (docs/distributed.md): start barrier,
 * setup() once on instance 0 with its data shared, teardown() once after every instance, live
 * merge of every instance's intervals with thresholds judged on the fleet, abortOnFail for all,
 * and instances that stop reporting named in the result (exit 109).
 */
export { InstanceLink, DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_START_TIMEOUT_MS, type LinkOptions } from './instance-link.js';
export type { FleetInstance, FleetResult, InstanceDone, MergerStats } from './fleet-merger.js';
export { runLocalFleet, startNatsServer, type LocalFleetOutcome, type LocalFleetRequest } from './local-fleet.js';
export { checkRunId } from './transport.js';
export { childCommand, describeCoverage, runFleetCommand, type FleetIo } from './fleet-cli.js';
