// INSERT INTO ... VALUES and single-row inserts: evaluates the values, coerces them to the
// target's column types, serializes with the target's formats and appends to its topic.

import { statementError } from '../common/errors.ts';
import { formatType } from '../common/sql-type.ts';
import { bindExpr, coerce } from '../analyzer/expression-binder.ts';
import { Scope } from '../analyzer/scope.ts';
import { compileExpr, drainCaughtErrors } from '../runtime/expression-compiler.ts';
import { compileCast } from '../runtime/cast.ts';
import { partitionForKey } from '../runtime/partitioner.ts';
import { createKeySerde, createValueSerde } from '../serde/serde-factory.ts';
import { parseTimestamp } from '../common/temporal.ts';
import { Decimal } from '../common/decimal.ts';
import type { Statement } from '../sql/ast.ts';
import type { Session, SourceInfo } from './engine-api.ts';
import type { ExecutorHost } from './statement-executor.ts';
import type { Column } from '../catalog/schema.ts';

export async function insertValues(host: ExecutorHost, session: Session, s: Statement & { kind: 'InsertValues' }, text: string): Promise<void> {
  const target = host.catalog.source(s.target);
  if (!target) throw statementError(`Cannot insert values into an unknown stream/table: ${s.target}`, text);
  if (target.isSource) throw statementError(`Cannot insert values into read-only ${target.type.toLowerCase()}: ${s.target}`, text);
  const all = [...target.schema.key, ...target.schema.value];
  const names = s.columns ?? ['ROWTIME', ...all.map((c) => c.name)].slice(s.values.length === all.length ? 1 : 0);
  const implicit = s.columns === undefined;
  const cols = implicit && s.values.length === all.length ? all.map((c) => c.name) : names;
  if (cols.length !== s.values.length) {
    throw statementError(`Expected number columns and values to match: [${cols.join(', ')}], [${s.values.map(() => '?').join(', ')}]`, text);
  }
  const scope = new Scope([]);
  const row: Record<string, unknown> = {};
  cols.forEach((name, i) => {
    const col = all.find((c) => c.name === name);
    if (!col && (name === 'ROWPARTITION' || name === 'ROWOFFSET')) {
      throw statementError(`Inserting into column \`${name}\` is not allowed.`, text);
    }
    if (!col && name !== 'ROWTIME') {
      throw statementError(`Column name ${name} does not exist.`, text);
    }
    if (col && (col.namespace === 'HEADER' || col.namespace === 'HEADERS')) {
      throw statementError(`Cannot insert into HEADER columns: ${name}`, text);
    }
    const bound = bindExpr(s.values[i]!, { scope, functions: host.functions, types: (t) => host.catalog.type(t) });
    const type = col?.type ?? { kind: 'BIGINT' as const };
    let value: unknown;
    try {
      const casted = bound.type !== null && bound.type.kind === 'STRING' && type.kind !== 'STRING'
        ? { kind: 'Cast' as const, type, operand: bound } : coerce(bound, type);
      if (bound.type !== null && !castable(bound.type.kind, type.kind)) throw new Error('incompatible');
      value = compileExpr(casted)([], []);
      drainCaughtErrors(); // not a record of a query: nothing to report later
    } catch (e) {
      throw statementError(`Failed to insert values into '${s.target}'. Expected type ${formatType(type)} for column ${name} but got ${bound.type ? formatType(bound.type) : 'NULL'}${(e as Error).message === 'incompatible' ? '' : `: ${(e as Error).message}`}`, text);
    }
    row[name] = value;
  });
  await writeRow(host, target, row, session, text);
}

function castable(from: string, to: string): boolean {
  const numeric = ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'];
  if (from === to) return true;
  if (numeric.includes(from) && numeric.includes(to)) return numeric.indexOf(from) <= numeric.indexOf(to) || to === 'DECIMAL' || from === 'DECIMAL';
  if (from === 'STRING') return true;
  return false;
}

/** Inserts a row given as column name -> runtime value (ROWTIME optional). */
export async function writeRow(host: ExecutorHost, target: SourceInfo, row: Record<string, unknown>, _session: Session, text: string): Promise<void> {
  const record = createRecordEncoder(target)(row, text);
  const d = await host.log.describeTopic(target.topic);
  if (!d) throw statementError(`Topic ${target.topic} does not exist.`, text);
  await host.log.append(target.topic, [withPartition(record, d.partitions)]);
}

interface EncodedRow {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/** Serializes rows for `target` (serdes created once); throws KsqlError for a row that cannot be written. */
function createRecordEncoder(target: SourceInfo): (row: Record<string, unknown>, text: string) => EncodedRow {
  const keyCols = target.schema.key;
  const valueCols: Column[] = target.schema.value.filter((c) => c.namespace === 'VALUE');
  const keySerde = createKeySerde(target.keyFormat, keyCols);
  const valueSerde = createValueSerde(target.valueFormat, valueCols);
  return (row, text) => {
    const key = keyCols.map((c) => row[c.name] ?? null);
    if (target.type === 'TABLE' && key.some((k) => k === null)) {
      throw statementError(`Failed to insert values into '${target.name}'. Value for primary key column(s) ${keyCols.map((c) => c.name).join(', ')} is required for tables`, text);
    }
    const value = valueCols.map((c) => row[c.name] ?? null);
    let keyBytes: Uint8Array | null;
    let valueBytes: Uint8Array | null;
    try {
      keyBytes = keyCols.length === 0 ? null : keySerde.serialize(key, undefined, target.topic);
      valueBytes = valueSerde.serialize(value, target.topic);
    } catch (e) {
      throw statementError(`Failed to insert values into '${target.name}'. ${(e as Error).message}`, text);
    }
    let timestamp: number;
    const rt = row.ROWTIME;
    if (rt === undefined || rt === null) {
      timestamp = Date.now();
    } else if (typeof rt === 'string') {
      timestamp = parseTimestamp(rt) ?? Date.now();
    } else {
      timestamp = Number(rt as bigint);
    }
    if (target.timestampColumn && row[target.timestampColumn] !== undefined && row[target.timestampColumn] !== null && (rt === undefined || rt === null)) {
      const v = row[target.timestampColumn];
      timestamp = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : timestamp;
    }
    return { key: keyBytes, value: valueBytes, timestamp };
  };
}

function withPartition(r: EncodedRow, partitions: number) {
  const partition = r.key === null ? 0 : partitionForKey(r.key, partitions);
  return { partition, key: r.key, value: r.value, timestamp: r.timestamp, headers: [] };
}

export async function insertRow(host: ExecutorHost, session: Session, targetName: string, input: Readonly<Record<string, unknown>>): Promise<void> {
  const { error } = await insertRows(host, session, targetName, [input]);
  if (error !== undefined) throw error;
}

/** How far `insertRows` got: rows before `inserted` are durable; `error` is why row `inserted` was not. */
export interface InsertRowsOutcome {
  readonly inserted: number;
  readonly error?: unknown;
}

/**
 * Inserts rows (JSON values from /inserts-stream) in order with one log append, so a batch shares
 * one durability wait (fsync) instead of paying one per row. Rows are converted and serialized
 * first; the first one that fails stops the batch, and only the rows before it are appended.
 */
export async function insertRows(host: ExecutorHost, _session: Session, targetName: string, inputs: readonly Readonly<Record<string, unknown>>[]): Promise<InsertRowsOutcome> {
  const target = host.catalog.source(targetName.toUpperCase()) ?? host.catalog.source(targetName);
  if (!target) return { inserted: 0, error: statementError(`Cannot insert values into an unknown stream/table: ${targetName}`) };
  const resolve = createColumnResolver(target);
  const encode = createRecordEncoder(target);
  const encoded: EncodedRow[] = [];
  let error: unknown;
  for (const input of inputs) {
    try {
      encoded.push(encode(toRuntimeRow(input, resolve), ''));
    } catch (e) {
      error = e;
      break;
    }
  }
  if (encoded.length === 0) return { inserted: 0, error };
  const d = await host.log.describeTopic(target.topic);
  if (!d) return { inserted: 0, error: statementError(`Topic ${target.topic} does not exist.`) };
  try {
    await host.log.append(target.topic, encoded.map((r) => withPartition(r, d.partitions)));
  } catch (e) {
    return { inserted: 0, error: e };
  }
  return { inserted: encoded.length, error };
}

/** Field name as sent -> the target's column: exact name first, then case-insensitively. */
function createColumnResolver(target: SourceInfo): (name: string) => Column | undefined {
  const all = [...target.schema.key, ...target.schema.value];
  const exact = new Map(all.map((c) => [c.name, c]));
  const upper = new Map<string, Column>();
  for (const c of all) if (!upper.has(c.name.toUpperCase())) upper.set(c.name.toUpperCase(), c);
  return (name) => exact.get(name) ?? upper.get(name.toUpperCase());
}

function toRuntimeRow(input: Readonly<Record<string, unknown>>, column: (name: string) => Column | undefined): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k.toUpperCase() === 'ROWTIME') {
      row.ROWTIME = v;
      continue;
    }
    const col = column(k);
    if (!col) throw statementError(`Column name ${k} does not exist.`);
    row[col.name] = v === null ? null : coerceJson(v, col);
  }
  return row;
}

/** Converts a JSON value from /inserts-stream into the runtime value for a column. */
function coerceJson(v: unknown, col: Column): unknown {
  const t = col.type;
  if (v instanceof Decimal) return t.kind === 'DECIMAL' ? v : compileCast({ kind: 'DECIMAL', precision: v.precision(), scale: v.scale }, t)(v);
  if (typeof v === 'bigint') return compileCast({ kind: 'BIGINT' }, t)(v);
  const bad = (): never => {
    throw statementError(`Failed to insert values: expected ${formatType(t)} for column ${col.name} but got ${typeof v === 'string' ? `'${v}'` : JSON.stringify(v)}`);
  };
  switch (t.kind) {
    case 'BIGINT':
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt.asIntN(64, BigInt(v.trim()));
      return bad();
    case 'INTEGER':
      if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) && Math.abs(Number(v)) <= 2147483648) return Number(v) | 0;
      return bad();
    case 'DOUBLE':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return bad();
    case 'STRING': return typeof v === 'string' ? v : JSON.stringify(v);
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      return bad();
    default:
      try {
        return compileCast({ kind: 'STRING' }, t)(typeof v === 'string' ? v : JSON.stringify(v));
      } catch {
        return bad();
      }
  }
}
