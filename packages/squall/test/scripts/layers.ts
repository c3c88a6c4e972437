// Options from every source: the script sets iterations only when SCRIPT_ITERS is given, so tests
// can see which layer won by counting iterations.
export const options = __ENV.SCRIPT_ITERS ? { iterations: Number(__ENV.SCRIPT_ITERS) } : {};

export default async function () {}
