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
    const s = String(x);
    if (s.includes('e')) return plainFromExponential(x);
    return s.includes('.') ? s : s + '.0';
  }
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : mantissa + '.0';
  return `${m}E${Number(exp)}`;
}

function plainFromExponential(x: number): string {
  // Only reached for numbers in [1e-3, 1e7) that String() printed with an exponent (never in
  // practice for V8, kept for safety).
  const s = x.toFixed(20).replace(/0+$/, '');
  return s.endsWith('.') ? s + '0' : s;
}

/** Java's Float-free int/long printing is the same as JS; kept for symmetry. */
export function formatInteger(x: number | bigint): string {
  return String(x);
}
