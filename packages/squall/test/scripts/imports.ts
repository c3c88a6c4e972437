import { check, Counter } from 'squall';
import { greeting } from './lib/greeting.js';

const greeted = new Counter('greeted');
export const options = { iterations: 4, thresholds: { greeted: ['count==4'], checks: ['rate==1'] } };

export default async function () {
  check(greeting('squall'), { 'relative import works': (g) => g === 'hello squall' });
  greeted.add(1);
}
