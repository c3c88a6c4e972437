import { textSummary } from 'squall';

export const options = { iterations: 3 };

export default async function () {}

export function handleSummary(data: any) {
  return {
    stdout: `custom summary: iterations=${data.metrics.iterations.values.count}\n` + textSummary(data),
    'hook-out.json': JSON.stringify({ iterations: data.metrics.iterations.values.count }),
  };
}
