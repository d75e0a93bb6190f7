// Prepared pull queries: `SELECT ... FROM t WHERE k = <literal>` texts that differ only in the
// literal share one parse, plan and compiled reader. The first execution of a shape goes the full
// way and records it; later ones only convert the literal and look the key up.

import { Decimal } from '../common/decimal.ts';
import { BIGINT, INTEGER, STRING, decimalType, type SqlType } from '../common/sql-type.ts';
import type { CompletedPull, QueryColumn, QueryHandle, QueryRow, Session, SourceInfo } from './engine-api.ts';
import type { Task } from '../runtime/task.ts';
import { pullRouting } from './pull-query.ts';
import type { ExecutorHost } from './statement-executor.ts';
import type { QueryRunner } from './query-runner.ts';
import { completedPullHandle } from './pull-handle.ts';
import { coerceStrict } from './pull-where.ts';

/** `<prefix> WHERE <column> = <literal> [;]`, the literal an integer, decimal or string. */
const SHAPE = /^(\s*SELECT\s[\s\S]*?\sWHERE\s+(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*=\s*)(-?\d+(?:\.\d+)?|'(?:[^']|'')*')\s*;?\s*$/i;

type LiteralKind = 'int' | 'dec' | 'str';

export interface PreparedPull {
  readonly source: SourceInfo;
  readonly runner: QueryRunner;
  /** The runner's tasks when prepared: a rebalance or restart makes the reader stale. */
  readonly tasks: readonly Task[];
  readonly columns: readonly QueryColumn[];
  readonly keyType: SqlType;
  /** The rows of one key (the literal converted to the key column's type). */
  readonly lookup: (key: readonly unknown[]) => QueryRow[];
}

const MAX_SHAPES = 1000;
const prepared = new Map<string, PreparedPull>();

function shapeOf(sql: string): { template: string; literal: string; kind: LiteralKind } | undefined {
  if (sql.includes('${')) return undefined;
  const m = SHAPE.exec(sql);
  if (!m) return undefined;
  const literal = m[2]!;
  const kind: LiteralKind = literal.startsWith('\'') ? 'str' : literal.includes('.') ? 'dec' : 'int';
  return { template: `${m[1]!.trimStart()}?${kind}`, literal, kind };
}

/** ksqlDB's literal types: INTEGER when it fits, else BIGINT; DECIMAL; STRING. */
function literalValue(literal: string, kind: LiteralKind): { value: unknown; type: SqlType } | undefined {
  if (kind === 'str') return { value: literal.slice(1, -1).replaceAll('\'\'', '\''), type: STRING };
  if (kind === 'dec') {
    const d = Decimal.parse(literal);
    return { value: d, type: decimalType(Math.max(d.precision(), d.scale, 1), d.scale) };
  }
  // Up to 9 digits always fits an INTEGER: skip the BigInt (`| 0` turns -0 into 0, as BigInt does).
  if (literal.length <= (literal.startsWith('-') ? 10 : 9)) return { value: Number(literal) | 0, type: INTEGER };
  const v = BigInt(literal);
  if (v >= -2147483648n && v <= 2147483647n) return { value: Number(v), type: INTEGER };
  if (v >= -9223372036854775808n && v <= 9223372036854775807n) return { value: v, type: BIGINT };
  return undefined;
}

/** Records a statement that was answered by one key lookup on `WHERE key = literal`. */
export function rememberPull(text: string, entry: PreparedPull): void {
  const shape = shapeOf(text);
  if (!shape) return;
  if (prepared.size >= MAX_SHAPES) prepared.delete(prepared.keys().next().value!);
  prepared.set(shape.template, entry);
}

function isStale(host: ExecutorHost, entry: PreparedPull): boolean {
  if (host.catalog.source(entry.source.name) !== entry.source || host.runners.get(entry.runner.queryId) !== entry.runner) return true;
  const tasks = entry.runner.tasks();
  if (tasks.length !== entry.tasks.length) return true;
  for (let i = 0; i < tasks.length; i++) if (tasks[i] !== entry.tasks[i]) return true;
  return false;
}

/**
 * Answers `sql` from a prepared shape, or undefined when it must go the full way. No session: a
 * prepared shape reads no property or variable (texts with `${` never match a shape).
 */
export function preparedPull(host: ExecutorHost, sql: string): CompletedPull | undefined {
  if (prepared.size === 0) return undefined;
  const shape = shapeOf(sql);
  if (!shape) return undefined;
  const entry = prepared.get(shape.template);
  if (!entry) return undefined;
  // Dropped, replaced or restarted sources and queries invalidate the shape.
  if (isStale(host, entry)) {
    prepared.delete(shape.template);
    return undefined;
  }
  const lit = literalValue(shape.literal, shape.kind);
  const key = lit ? coerceStrict(lit.value, lit.type, entry.keyType) : undefined;
  // Conversion errors are reported by the full path, with ksqlDB's message.
  if (key === undefined) return undefined;
  return { queryId: `query_${Date.now()}`, columns: entry.columns, rows: entry.lookup([key]) };
}

/** `preparedPull` as a query handle, for sessions the cluster layer does not route. */
export function fastPull(host: ExecutorHost, session: Session, sql: string): QueryHandle | undefined {
  // Sessions the cluster layer routes read chosen partitions: they take the full path.
  if (pullRouting.has(session)) return undefined;
  const done = preparedPull(host, sql);
  return done && completedPullHandle(done.queryId, done.columns, done.rows, 'Query Completed');
}
