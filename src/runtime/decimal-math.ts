// Exact DECIMAL arithmetic with ksqlDB's result scales and HALF_UP rounding, on scaled bigints.

import { Decimal } from '../common/decimal.ts';

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.setScale(s).unscaled, b.setScale(s).unscaled, s];
}

export function decimalAdd(a: Decimal, b: Decimal, scale: number): Decimal {
  const [x, y, s] = align(a, b);
  return new Decimal(x + y, s).setScale(scale);
}

export function decimalSubtract(a: Decimal, b: Decimal, scale: number): Decimal {
  const [x, y, s] = align(a, b);
  return new Decimal(x - y, s).setScale(scale);
}

export function decimalMultiply(a: Decimal, b: Decimal, scale: number): Decimal {
  return new Decimal(a.unscaled * b.unscaled, a.scale + b.scale).setScale(scale);
}

/** a / b rounded HALF_UP to `scale`; throws on division by zero (Java ArithmeticException). */
export function decimalDivide(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.unscaled === 0n) throw new Error('Division by zero');
  // a/b = (ua / 10^sa) / (ub / 10^sb); compute with `scale + 1` extra digits then round.
  const extra = scale + 1;
  const num = a.unscaled * 10n ** BigInt(Math.max(0, extra - a.scale + b.scale));
  const den = b.unscaled * 10n ** BigInt(Math.max(0, a.scale - b.scale - extra));
  const q = num / den; // truncated toward zero at scale `extra`
  return new Decimal(q, extra).setScale(scale);
}

export function decimalRemainder(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.unscaled === 0n) throw new Error('Division by zero');
  const [x, y, s] = align(a, b);
  return new Decimal(x % y, s).setScale(scale);
}

export function decimalNegate(a: Decimal): Decimal {
  return new Decimal(-a.unscaled, a.scale);
}

/** Throws when `d` needs more than `precision` digits (ksqlDB refuses to overflow a DECIMAL). */
export function checkPrecision(d: Decimal, precision: number, scale: number): Decimal {
  const r = d.setScale(scale);
  const intDigits = r.precision() - r.scale;
  if (r.unscaled !== 0n && intDigits > precision - scale) {
    throw new Error(`Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${precision - scale}. Got ${d.toString()}`);
  }
  return r;
}

export function decimalFromNumber(n: number | bigint): Decimal {
  if (typeof n === 'bigint') return new Decimal(n, 0);
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return new Decimal(BigInt(n), 0);
  // BigDecimal.valueOf(double) uses Double.toString's digits.
  return Decimal.parse(javaDoubleDigits(n));
}

function javaDoubleDigits(n: number): string {
  return String(n);
}
