// Exact DECIMAL(p,s) values: an unscaled bigint and a scale, like java.math.BigDecimal.
// Arithmetic never goes through `number`, so 0.1 + 0.2 is exactly 0.3 and 1.50 keeps its scale.

/** java.math.RoundingMode values used by ksqlDB. */
export type RoundingMode = 'UP' | 'DOWN' | 'CEILING' | 'FLOOR' | 'HALF_UP' | 'HALF_DOWN' | 'HALF_EVEN';

export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses a plain or exponent decimal literal (`-1.50`, `1e3`, `.5`) keeping its scale. */
  static parse(text: string): Decimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`Invalid decimal: ${text}`);
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    let scale = frac.length - (m[4] ? Number(m[4]) : 0);
    let unscaled = BigInt((intPart + frac) || '0');
    if (m[1] === '-') unscaled = -unscaled;
    if (scale < 0) {
      // BigDecimal keeps negative scales; ksqlDB columns always have scale >= 0, so normalise.
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(unscaled, scale);
  }

  static fromBigInt(v: bigint): Decimal {
    return new Decimal(v, 0);
  }

  /** Plain notation with the full scale, as ksqlDB prints decimals (`1.50`, `-0.05`, `10`). */
  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale > 0) {
      if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
      digits = digits.slice(0, digits.length - this.scale) + '.' + digits.slice(digits.length - this.scale);
    }
    return (neg ? '-' : '') + digits;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Number of significant digits of the unscaled value (BigDecimal.precision()). */
  precision(): number {
    const u = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return u === 0n ? 1 : u.toString().length;
  }

  /** Rescales with HALF_UP rounding (BigDecimal.setScale(s, RoundingMode.HALF_UP)). */
  setScale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const div = 10n ** BigInt(this.scale - scale);
    let q = this.unscaled / div;
    const r = this.unscaled % div;
    const twice = (r < 0n ? -r : r) * 2n;
    if (twice >= div) q += this.unscaled < 0n ? -1n : 1n;
    return new Decimal(q, scale);
  }

  /**
   * BigDecimal.setScale(scale, mode). `scale` may be negative (an intermediate, as in ROUND(x, -2));
   * HALF_UP/HALF_DOWN/HALF_EVEN round ties as Java does; FLOOR/CEILING/DOWN/UP as RoundingMode.
   */
  setScaleRounded(scale: number, mode: RoundingMode): Decimal {
    if (scale >= this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const div = 10n ** BigInt(this.scale - scale);
    let q = this.unscaled / div; // truncates toward zero
    const r = this.unscaled % div;
    if (r !== 0n) {
      const sign = this.unscaled < 0n ? -1n : 1n;
      const twice = (r < 0n ? -r : r) * 2n;
      let away: boolean;
      switch (mode) {
        case 'DOWN': away = false; break;
        case 'UP': away = true; break;
        case 'FLOOR': away = sign < 0n; break;
        case 'CEILING': away = sign > 0n; break;
        case 'HALF_UP': away = twice >= div; break;
        case 'HALF_DOWN': away = twice > div; break;
        case 'HALF_EVEN': away = twice > div || (twice === div && (q & 1n) !== 0n); break;
      }
      if (away) q += sign;
    }
    return new Decimal(q, scale);
  }

  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  abs(): Decimal {
    return this.unscaled < 0n ? this.negate() : this;
  }

  signum(): number {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  compareTo(other: Decimal): number {
    const s = Math.max(this.scale, other.scale);
    const a = this.setScale(s).unscaled;
    const b = other.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Value equality ignoring scale (compareTo == 0); scale-exact equality is `equalsExact`. */
  equalsValue(other: Decimal): boolean {
    return this.compareTo(other) === 0;
  }

  equalsExact(other: Decimal): boolean {
    return this.scale === other.scale && this.unscaled === other.unscaled;
  }
}
