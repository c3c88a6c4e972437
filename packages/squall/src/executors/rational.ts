/**
 * Exact non-negative rationals for execution segments. Plain data (two safe integers) so resolved
 * options stay JSON- and structured-clone-friendly; arithmetic that could overflow goes through bigint.
 */

/** A reduced fraction `num/den` with `den >= 1`; both safe integers. */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

/** Most decimal places accepted in `0.125` or `12.5%`; more would make denominators unusable anyway. */
const MAX_DECIMALS = 9;
const FRACTION = /^(\d+)\s*\/\s*(\d+)$/;
const DECIMAL = /^(\d+)?(?:\.(\d+))?$/;

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Builds a reduced rational from bigint parts; `undefined` when the result leaves the safe-integer range. */
export function rationalOf(num: bigint, den: bigint): Rational | undefined {
  if (den <= 0n || num < 0n) return undefined;
  const g = gcd(num, den);
  const n = num / g;
  const d = den / g;
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (n > max || d > max) return undefined;
  return { num: Number(n), den: Number(d) };
}

/**
 * Parses `1/4`, `0.25`, `25%` or `12.5%` into an exact rational. Returns a reason string when the
 * text is not one of those forms (range checks are the caller's: segments need [0, 1]).
 */
export function parseRational(text: string): Rational | string {
  const s = text.trim();
  const frac = FRACTION.exec(s);
  if (frac) {
    const den = BigInt(frac[2] ?? '0');
    if (den === 0n) return `"${s}" divides by zero`;
    return rationalOf(BigInt(frac[1] ?? '0'), den) ?? `"${s}" has too many digits`;
  }
  const percent = s.endsWith('%');
  const body = percent ? s.slice(0, -1).trim() : s;
  const dec = DECIMAL.exec(body);
  if (!dec || body === '' || body === '.') {
    return `"${s}" is not a number; write a fraction (1/4), a decimal (0.25) or a percentage (25%)`;
  }
  const whole = dec[1] ?? '0';
  const decimals = dec[2] ?? '';
  if (decimals.length > MAX_DECIMALS) return `"${s}" has more than ${MAX_DECIMALS} decimal places; write a fraction`;
  const den = 10n ** BigInt(decimals.length) * (percent ? 100n : 1n);
  return rationalOf(BigInt(whole + decimals), den) ?? `"${s}" has too many digits`;
}

/** Sign of `a - b` (-1, 0 or 1), exactly. */
export function compareRational(a: Rational, b: Rational): number {
  const l = BigInt(a.num) * BigInt(b.den);
  const r = BigInt(b.num) * BigInt(a.den);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Exact `a - b` as bigint parts (for widths whose denominators may exceed the safe range). */
export function subtractRational(a: Rational, b: Rational): { num: bigint; den: bigint } {
  const num = BigInt(a.num) * BigInt(b.den) - BigInt(b.num) * BigInt(a.den);
  const den = BigInt(a.den) * BigInt(b.den);
  const g = gcd(num < 0n ? -num : num, den);
  return { num: num / g, den: den / g };
}

/** `0`, `1` or `num/den`: the form k6 prints and accepts. */
export function formatRational(r: Rational): string {
  return r.den === 1 ? String(r.num) : `${r.num}/${r.den}`;
}

/** The rational 0. */
export const ZERO: Rational = { num: 0, den: 1 };
/** The rational 1. */
export const ONE: Rational = { num: 1, den: 1 };

/** Least common multiple of positive bigints. */
export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}
