// Mathematical functions (ABS .. TRUNC, GREATEST/LEAST, GEO_DISTANCE, GENERATE_SERIES) with ksqlDB's
// overloads: INT/BIGINT/DOUBLE bodies are Java Math, DECIMAL bodies keep the input scale.

import { Decimal } from '../../common/decimal.ts';
import type { SqlType } from '../../common/sql-type.ts';
import { arrayType, BIGINT, decimalType, DOUBLE, INTEGER } from '../../common/sql-type.ts';
import { formatDouble } from '../../common/java-number.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import type { ScalarOverload } from './define.ts';
import { defineScalar, strict } from './define.ts';
import { compareValues } from './compare.ts';

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** Java's (long) cast of a double: truncation, NaN -> 0, saturating. */
export function doubleToLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 9.223372036854776e18) return LONG_MAX;
  if (x <= -9.223372036854776e18) return LONG_MIN;
  return BigInt(Math.trunc(x));
}

/** Java's Math.round(double): floor(x + 0.5) computed exactly, saturating. */
function javaRound(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  const f = Math.floor(x);
  return doubleToLong(x - f >= 0.5 ? f + 1 : f);
}

/** BigDecimal.valueOf(double): the decimal spelled by Double.toString. */
export function decimalOfDouble(x: number): Decimal {
  if (!Number.isFinite(x)) throw new Error(`Character ${formatDouble(x)} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
  return Decimal.parse(formatDouble(x));
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

/** INT, BIGINT and DOUBLE overloads of a double function, as most ksqlDB math UDFs declare. */
function unaryDouble(name: string, description: string, f: (x: number) => number): ScalarFunction {
  const invoke = strict((a) => f(num(a[0])));
  return defineScalar({
    name, category: 'MATHEMATICAL', description,
    overloads: [P.INT, P.BIGINT, P.DOUBLE].map((p) => ({ params: [p], returns: DOUBLE, invoke })),
  });
}

const RAD_TO_DEG = 57.29577951308232;
const DEG_TO_RAD = 0.017453292519943295;

const decimalKeepType = (m: { argTypes: readonly (SqlType | null)[] }): SqlType => m.argTypes[0] ?? decimalType(1, 0);

/** ROUND and TRUNC share shapes; only the rounding differs. */
function roundLike(name: string, description: string, decimalMode: (d: Decimal) => 'HALF_UP' | 'HALF_DOWN' | 'DOWN', doubleToWhole: (x: number) => bigint): ScalarFunction {
  const roundDecimal = (d: Decimal, places: number): Decimal => d.setScaleRounded(places, decimalMode(d));
  const overloads: ScalarOverload[] = [
    { params: [P.BIGINT], returns: BIGINT, invoke: strict((a) => a[0]) },
    { params: [P.INT], returns: BIGINT, invoke: strict((a) => BigInt(a[0] as number)) },
    { params: [P.DOUBLE], returns: BIGINT, invoke: strict((a) => doubleToWhole(a[0] as number)) },
    {
      params: [P.DOUBLE, P.INT], returns: DOUBLE,
      invoke: strict((a) => {
        const r = roundDecimal(decimalOfDouble(a[0] as number), a[1] as number);
        // A negative scale (ROUND(x, -1)) is an intermediate only; print it as a whole number.
        return (r.scale < 0 ? r.setScale(0) : r).toNumber();
      }),
    },
    {
      params: [P.DECIMAL],
      returns: (m) => {
        const t = m.argTypes[0];
        return t && t.kind === 'DECIMAL' ? decimalType(Math.max(1, t.precision - t.scale), 0) : decimalType(1, 0);
      },
      invoke: strict((a) => roundDecimal(a[0] as Decimal, 0)),
    },
    {
      params: [P.DECIMAL, P.INT], returns: decimalKeepType,
      invoke: strict((a) => {
        const d = a[0] as Decimal;
        return roundDecimal(d, a[1] as number).setScale(d.scale);
      }),
    },
  ];
  return defineScalar({ name, errorName: name === 'ROUND' ? 'Round' : 'trunc', category: 'MATHEMATICAL', description, overloads });
}

/** CEIL/FLOOR: whole types unchanged, DOUBLE via Math, DECIMAL rounded but scale kept. */
function ceilFloor(name: string, mode: 'CEILING' | 'FLOOR', f: (x: number) => number): ScalarFunction {
  return defineScalar({
    name, errorName: name[0] + name.slice(1).toLowerCase(), category: 'MATHEMATICAL',
    description: mode === 'CEILING'
      ? 'Returns the smallest integer greater than or equal to the specified numeric expression.'
      : 'Returns the largest integer less than or equal to the specified numeric expression.',
    overloads: [
      { params: [P.INT], returns: INTEGER, invoke: strict((a) => a[0]) },
      { params: [P.BIGINT], returns: BIGINT, invoke: strict((a) => a[0]) },
      { params: [P.DOUBLE], returns: DOUBLE, invoke: strict((a) => f(a[0] as number)) },
      {
        params: [P.DECIMAL], returns: decimalKeepType,
        invoke: strict((a) => {
          const d = a[0] as Decimal;
          return d.setScaleRounded(0, mode).setScale(d.scale);
        }),
      },
    ],
  });
}

/** DecimalUtil.widen: enough integer digits and scale for every argument. */
function widenDecimals(types: readonly (SqlType | null)[]): SqlType | undefined {
  let intDigits = -1;
  let scale = 0;
  for (const t of types) {
    if (!t || t.kind !== 'DECIMAL') continue;
    intDigits = Math.max(intDigits, t.precision - t.scale);
    scale = Math.max(scale, t.scale);
  }
  return intDigits < 0 ? undefined : decimalType(intDigits + scale, scale);
}

function extremum(name: string, sign: 1 | -1): ScalarFunction {
  const body = (a: unknown[]): unknown => {
    let best: unknown = null;
    for (const v of a) {
      if (v === null) continue;
      if (best === null || sign * compareValues(v, best) > 0) best = v;
    }
    return best;
  };
  const simple: [import('../signature.ts').ParamType, SqlType][] = [
    [P.INT, INTEGER], [P.BIGINT, BIGINT], [P.DOUBLE, DOUBLE], [P.STRING, { kind: 'STRING' }],
    [P.BYTES, { kind: 'BYTES' }], [P.DATE, { kind: 'DATE' }], [P.TIME, { kind: 'TIME' }], [P.TIMESTAMP, { kind: 'TIMESTAMP' }],
  ];
  const overloads: ScalarOverload[] = simple.map(([p, t]) => ({ params: [p, p], variadic: true, returns: t, invoke: body }));
  overloads.push({
    params: [P.DECIMAL, P.DECIMAL], variadic: true,
    returns: (m) => widenDecimals(m.argTypes) ?? { error: `Function '${name.toLowerCase()}' cannot be resolved: all arguments are null.` },
    invoke: body,
  });
  return defineScalar({
    name, category: 'MATHEMATICAL',
    description: `Returns the ${sign > 0 ? 'highest' : 'lowest'} non-null value among a variable number of comparable columns.`,
    overloads,
  });
}

const EARTH_RADIUS_KM = 6371;
const EARTH_RADIUS_MILES = 3959;
const MILES = ['mi', 'mile', 'miles'];
const KMS = ['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres'];

function geoDistance(a: unknown[]): unknown {
  const [lat1, lon1, lat2, lon2] = a.slice(0, 4).map(num) as [number, number, number, number];
  if (lat1 < -90 || lat2 < -90 || lat1 > 90 || lat2 > 90) {
    throw new Error('valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees');
  }
  if (lon1 < -180 || lon2 < -180 || lon1 > 180 || lon2 > 180) {
    throw new Error('valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees');
  }
  let radius = EARTH_RADIUS_KM;
  const units = a[4];
  if (typeof units === 'string' && units.trim().length > 0) {
    const u = units.trim().toLowerCase();
    if (MILES.includes(u)) radius = EARTH_RADIUS_MILES;
    else if (!KMS.includes(u)) {
      throw new Error('GeoDistance function units parameter must be one of mi, mile, miles, km, kilometer, kilometers, kilometre or kilometres. Values are case-insensitive.');
    }
  }
  const hav = (x: number): number => Math.pow(Math.sin(x / 2), 2);
  const r1 = lat1 * DEG_TO_RAD;
  const r2 = lat2 * DEG_TO_RAD;
  const h = hav((lat2 - lat1) * DEG_TO_RAD) + hav((lon2 - lon1) * DEG_TO_RAD) * Math.cos(r1) * Math.cos(r2);
  return 2 * Math.asin(Math.sqrt(h)) * radius;
}

function series(start: number | bigint, end: number | bigint, step: number, long: boolean): unknown[] {
  if (step === 0) throw new Error('GENERATE_SERIES step cannot be zero');
  const s = BigInt(start);
  const diff = BigInt(end) - s;
  if ((diff > 0n && step < 0) || (diff < 0n && step > 0)) throw new Error('GENERATE_SERIES step has wrong sign');
  const size = 1n + diff / BigInt(step);
  const out: unknown[] = [];
  for (let i = 0n, v = s; i < size; i++, v += BigInt(step)) out.push(long ? v : Number(v));
  return out;
}

const defaultStep = (start: number | bigint, end: number | bigint): number => (end > start ? 1 : -1);

export const mathFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'ABS', errorName: 'Abs', category: 'MATHEMATICAL',
    description: 'Returns the absolute value of its argument.',
    overloads: [
      { params: [P.INT], returns: INTEGER, invoke: strict((a) => Math.abs(a[0] as number) | 0) },
      { params: [P.BIGINT], returns: BIGINT, invoke: strict((a) => BigInt.asIntN(64, (a[0] as bigint) < 0n ? -(a[0] as bigint) : (a[0] as bigint))) },
      { params: [P.DOUBLE], returns: DOUBLE, invoke: strict((a) => Math.abs(a[0] as number)) },
      { params: [P.DECIMAL], returns: decimalKeepType, invoke: strict((a) => (a[0] as Decimal).abs()) },
    ],
  }),
  unaryDouble('ACOS', 'Returns the inverse (arc) cosine of an INT, BIGINT, or DOUBLE value.', Math.acos),
  unaryDouble('ASIN', 'Returns the inverse (arc) sine of an INT, BIGINT, or DOUBLE value.', Math.asin),
  unaryDouble('ATAN', 'Returns the inverse (arc) tangent of an INT, BIGINT, or DOUBLE value.', Math.atan),
  defineScalar({
    name: 'ATAN2', category: 'MATHEMATICAL',
    description: 'Returns the inverse (arc) tangent of y / x.',
    overloads: [P.INT, P.BIGINT, P.DOUBLE].map((p) => ({
      params: [p, p], names: ['y', 'x'], returns: DOUBLE, invoke: strict((a) => Math.atan2(num(a[0]), num(a[1]))),
    })),
  }),
  unaryDouble('CBRT', 'Returns the cube root of an INT, BIGINT, or DOUBLE value.', Math.cbrt),
  ceilFloor('CEIL', 'CEILING', Math.ceil),
  unaryDouble('COS', 'Returns the cosine of an INT, BIGINT, or DOUBLE value.', Math.cos),
  unaryDouble('COSH', 'Returns the hyperbolic cosine of an INT, BIGINT, or DOUBLE value.', Math.cosh),
  unaryDouble('COT', 'Returns the cotangent of an INT, BIGINT, or DOUBLE value.', (x) => 1 / Math.tan(x)),
  unaryDouble('DEGREES', 'Converts a value in radians to degrees.', (x) => x * RAD_TO_DEG),
  unaryDouble('EXP', 'Returns e raised to the power of the argument.', Math.exp),
  ceilFloor('FLOOR', 'FLOOR', Math.floor),
  defineScalar({
    name: 'GENERATE_SERIES', errorName: 'GENERATE_SERIES', category: 'ARRAY',
    description: 'Constructs an array of values between start and end (inclusive).',
    overloads: [
      { params: [P.INT, P.INT], returns: arrayType(INTEGER), invoke: strict((a) => series(a[0] as number, a[1] as number, defaultStep(a[0] as number, a[1] as number), false)) },
      { params: [P.INT, P.INT, P.INT], returns: arrayType(INTEGER), invoke: strict((a) => series(a[0] as number, a[1] as number, a[2] as number, false)) },
      { params: [P.BIGINT, P.BIGINT], returns: arrayType(BIGINT), invoke: strict((a) => series(a[0] as bigint, a[1] as bigint, defaultStep(a[0] as bigint, a[1] as bigint), true)) },
      { params: [P.BIGINT, P.BIGINT, P.INT], returns: arrayType(BIGINT), invoke: strict((a) => series(a[0] as bigint, a[1] as bigint, a[2] as number, true)) },
    ],
  }),
  defineScalar({
    name: 'GEO_DISTANCE', category: 'MATHEMATICAL',
    description: 'The great-circle distance between two lat-long points, both specified in decimal degrees.',
    overloads: [
      { params: [P.DOUBLE, P.DOUBLE, P.DOUBLE, P.DOUBLE, P.STRING], names: ['lat1', 'lon1', 'lat2', 'lon2', 'units'], returns: DOUBLE, invoke: (a) => (a.slice(0, 4).includes(null) ? null : geoDistance(a)) },
      { params: [P.DOUBLE, P.DOUBLE, P.DOUBLE, P.DOUBLE], names: ['lat1', 'lon1', 'lat2', 'lon2'], returns: DOUBLE, invoke: strict(geoDistance) },
    ],
  }),
  extremum('GREATEST', 1),
  extremum('LEAST', -1),
  unaryDouble('LN', 'Returns the natural logarithm of the argument.', Math.log),
  defineScalar({
    name: 'LOG', category: 'MATHEMATICAL',
    description: 'Returns the logarithm of a value, natural or with the given base.',
    overloads: [
      ...[P.INT, P.BIGINT, P.DOUBLE].map((p) => ({ params: [p], names: ['value'], returns: DOUBLE, invoke: strict((a) => Math.log(num(a[0]))) })),
      ...[P.INT, P.BIGINT, P.DOUBLE].map((p) => ({
        params: [p, p], names: ['base', 'value'], returns: DOUBLE,
        invoke: strict((a) => {
          const base = num(a[0]);
          return base <= 0 || base === 1 ? NaN : Math.log(num(a[1])) / Math.log(base);
        }),
      })),
    ],
  }),
  defineScalar({
    name: 'PI', category: 'MATHEMATICAL', description: 'Returns the value of PI.',
    overloads: [{ params: [], returns: DOUBLE, invoke: () => Math.PI }],
  }),
  defineScalar({
    name: 'POWER', category: 'MATHEMATICAL', description: 'Returns the base raised to the power of the exponent.',
    overloads: [P.INT, P.BIGINT, P.DOUBLE].map((p) => ({
      params: [p, p], names: ['base', 'exponent'], returns: DOUBLE, invoke: strict((a) => Math.pow(num(a[0]), num(a[1]))),
    })),
  }),
  unaryDouble('RADIANS', 'Converts a value in degrees to radians.', (x) => x * DEG_TO_RAD),
  defineScalar({
    name: 'RANDOM', category: 'MATHEMATICAL', description: 'Returns a random DOUBLE value between 0.0 and 1.0.',
    overloads: [{ params: [], returns: DOUBLE, invoke: () => Math.random() }],
  }),
  roundLike('ROUND', 'Rounds a value to the given number of decimal places; ties round toward positive infinity.',
    (d) => (d.signum() > 0 ? 'HALF_UP' : 'HALF_DOWN'), javaRound),
  defineScalar({
    name: 'SIGN', category: 'MATHEMATICAL', description: 'Returns the sign of a numeric value as an INT: -1, 0 or 1.',
    overloads: [P.INT, P.BIGINT, P.DOUBLE].map((p) => ({
      params: [p], returns: INTEGER, invoke: strict((a) => { const x = num(a[0]); return x > 0 ? 1 : x < 0 ? -1 : 0; }),
    })),
  }),
  unaryDouble('SIN', 'Returns the sine of an INT, BIGINT, or DOUBLE value.', Math.sin),
  unaryDouble('SINH', 'Returns the hyperbolic sine of an INT, BIGINT, or DOUBLE value.', Math.sinh),
  unaryDouble('SQRT', 'Returns the square root of an INT, BIGINT, or DOUBLE value.', Math.sqrt),
  unaryDouble('TAN', 'Returns the tangent of an INT, BIGINT, or DOUBLE value.', Math.tan),
  unaryDouble('TANH', 'Returns the hyperbolic tangent of an INT, BIGINT, or DOUBLE value.', Math.tanh),
  roundLike('TRUNC', 'Truncates a value to the given number of decimal places.', () => 'DOWN', doubleToLong),
];
