// Number printing exactly as Java prints it (Double.toString), which ksqlDB users and its test
// corpus see everywhere: `43.0`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`.

/** Java's Double.toString for a JS number (shortest round-trip digits, as JDK >= 19). */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // In this range JS prints plain digits too (it switches to exponents only below 1e-6 or from
    // 1e21), with a '.' exactly when the number has a fraction; Java adds ".0" to whole numbers.
    const s = String(x);
    return Number.isInteger(x) ? s + '.0' : s;
  }
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : mantissa + '.0';
  return `${m}E${Number(exp)}`;
}

/** Java's Float-free int/long printing is the same as JS; kept for symmetry. */
export function formatInteger(x: number | bigint): string {
  return String(x);
}
