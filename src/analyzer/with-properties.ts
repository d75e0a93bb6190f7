// Reads WITH (...) clauses: literal values by property name, with ksqlDB's validation messages.

import { statementError } from '../common/errors.ts';
import type { Expr, Properties } from '../sql/ast.ts';

export type WithValue = string | number | boolean | null;

export class WithProperties {
  readonly #values = new Map<string, WithValue>();

  constructor(props: Properties | undefined, allowed?: ReadonlySet<string>) {
    for (const e of props?.entries ?? []) {
      const name = e.name.toUpperCase();
      if (allowed && !allowed.has(name)) throw statementError(`Invalid config variable(s) in the WITH clause: ${name}`);
      this.#values.set(name, literalValue(e.value));
    }
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  string(name: string): string | undefined {
    const v = this.#values.get(name);
    return v === undefined || v === null ? undefined : String(v);
  }

  int(name: string): number | undefined {
    const v = this.#values.get(name);
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n)) throw statementError(`Invalid value ${String(v)} for property ${name}: must be an integer`);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const v = this.#values.get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    const s = String(v).toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw statementError(`Invalid value ${String(v)} for property ${name}: must be true or false`);
  }

  names(): string[] {
    return [...this.#values.keys()];
  }
}

function literalValue(e: Expr): WithValue {
  switch (e.kind) {
    case 'StringLiteral': return e.value;
    case 'IntegerLiteral': case 'DecimalLiteral': case 'DoubleLiteral': return Number(e.text);
    case 'BooleanLiteral': return e.value;
    case 'NullLiteral': return null;
    case 'Negate': {
      const v = literalValue(e.operand);
      return typeof v === 'number' ? -v : v;
    }
    case 'ColumnRef': return e.name;
    default: throw statementError('WITH clause values must be literals');
  }
}

/** `'10 SECONDS'` -> ms, as ksqlDB parses WINDOW_SIZE and similar durations. */
export function parseDurationText(text: string, property: string): number {
  const m = /^\s*(\d+)\s+([A-Za-z]+)\s*$/.exec(text);
  if (!m) throw statementError(`Configuration ${property} is invalid: Invalid duration: '${text}'. Expected format: <number> <unit>`);
  const unit = m[2]!.toUpperCase();
  const ms = unitMs(unit);
  if (ms === undefined) throw statementError(`Configuration ${property} is invalid: Invalid duration: '${text}'. Unknown time unit: '${unit}'`);
  return Number(m[1]) * ms;
}

export function unitMs(unit: string): number | undefined {
  switch (unit.toUpperCase()) {
    case 'MILLISECOND': case 'MILLISECONDS': return 1;
    case 'SECOND': case 'SECONDS': return 1000;
    case 'MINUTE': case 'MINUTES': return 60_000;
    case 'HOUR': case 'HOURS': return 3_600_000;
    case 'DAY': case 'DAYS': return 86_400_000;
    default: return undefined;
  }
}
