// A DeliveryTracker whose lookup always fails: the run must go on, count the failures, and call
// every accepted event missing (test/pipeline-tracking.test.ts).
import { DeliveryTracker } from 'squall';

const tracker = new DeliveryTracker('broken', {
  lookup: async () => {
    throw new Error('lookup backend down');
  },
  pollInterval: '100ms',
  drainTimeout: '1s',
});

export const options = { vus: 2, iterations: 10 };

export default async function () {
  tracker.accepted(`id-${Math.random()}`);
}
