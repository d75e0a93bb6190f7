// Fitting a parsed decimal into a DECIMAL(p, s) column, with ksqlDB's error text.
// Both JSON and DELIMITED then rescale to the column scale (ksqlDB writes back `10.0000` for
// DECIMAL(6,4) input `10.0`).

import { Decimal } from '../common/decimal.ts';

export class DecimalFitError extends Error {}

/** Throws when the value needs rounding or has too many integer digits; returns it unchanged. */
export function ensureDecimalFits(value: Decimal, precision: number, scale: number): Decimal {
  const intDigits = value.precision() - value.scale;
  if (value.scale > scale || intDigits > precision - scale) {
    const reqScale = Math.max(value.scale, 0);
    const reqPrecision = Math.max(intDigits, 0) + reqScale;
    throw new DecimalFitError(
      `Cannot fit decimal '${value.toString()}' into DECIMAL(${precision}, ${scale}) without rounding. ` +
        `(Requires ${Math.max(reqPrecision, 1)},${reqScale})`,
    );
  }
  return value;
}

/** Rescales to the column scale (HALF_UP), then checks the integer digits fit. */
export function castDecimal(value: Decimal, precision: number, scale: number): Decimal {
  return ensureDecimalFits(value.setScale(scale), precision, scale);
}
