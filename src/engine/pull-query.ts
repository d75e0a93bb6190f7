// Pull queries: ksqlDB's PullQueryValidator rules for every pull query, and answering a pull query
// on a table from the `Materialize` stores of the query that maintains it, reading only the keys,
// key range or (when allowed) the whole table that the WHERE clause asks for.

import { children } from '../analyzer/expr-walk.ts';
import { statementError } from '../common/errors.ts';
import { formatType, type SqlType } from '../common/sql-type.ts';
import { bindExpr } from '../analyzer/expression-binder.ts';
import { formatExpr } from '../analyzer/expr-format.ts';
import { Scope } from '../analyzer/scope.ts';
import type { PlannedQuery } from '../analyzer/query-planner.ts';
import type { Step } from '../plan/steps.ts';
import type { Expr, Query } from '../sql/ast.ts';
import { compileExpr, drainCaughtErrors } from '../runtime/expression-compiler.ts';
import { MATERIALIZE_STORE } from '../runtime/operators/sink.ts';
import { partitionForKey } from '../runtime/partitioner.ts';
import { TaskStore } from '../runtime/task-store.ts';
import type { QueryRunner } from './query-runner.ts';
import type { QueryColumn, QueryHandle, QueryRow, Session, SourceInfo } from './engine-api.ts';
import type { ExecutorHost } from './statement-executor.ts';
import { analyzeWhere, JAVA_OP, type PullAccess, type PullColumn } from './pull-where.ts';
import { rememberPull } from './pull-fast.ts';
import { completedPullHandle } from './pull-handle.ts';
import { ksqlScanOrder, likelyKeyPartition, locateKeyPartitions, partitioningOf, type KeyPartitioning } from './pull-locate.ts';

const HELP = ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

/** The WHERE analysis of a validated pull query on a table, for pullFromTable. */
const analyses = new WeakMap<Query, PullAccess>();

/** ksqlDB's PullQueryValidator plus, for tables, the WHERE analysis (before planning, as ksqlDB). */
export function validatePullQuery(host: ExecutorHost, session: Session, query: Query, text: string): void {
  const fail = (msg: string): never => {
    throw statementError(msg + HELP, text);
  };
  if (query.window) fail('Pull queries don\'t support WINDOW clauses.');
  if (query.groupBy) fail('Pull queries don\'t support GROUP BY clauses.');
  if (query.partitionBy) fail('Pull queries don\'t support PARTITION BY clauses.');
  if (query.having) fail('Pull queries don\'t support HAVING clauses.');
  if (query.limit !== undefined) {
    if (host.property(session, 'ksql.query.pull.limit.clause.enabled') === 'false') {
      fail('LIMIT clause in pull queries is currently disabled. You can enable them by setting ksql.query.pull.limit.clause.enabled=true.');
    }
    if (query.limit < 0) fail('Pull queries don\'t support negative integers in the LIMIT clause.');
  }
  const inSelect = query.select.flatMap((s) => (s.kind === 'SingleColumn' ? disallowedColumns(s.expr) : []));
  if (inSelect.length > 0) fail(`Pull queries don't support the following columns in SELECT clauses: ${[...new Set(inSelect)].map((n) => `\`${n}\``).join(', ')}\n`);
  const inWhere = query.where ? disallowedColumns(query.where) : [];
  if (inWhere.length > 0) fail(`Pull queries don't support the following columns in WHERE clauses: ${[...new Set(inWhere)].map((n) => `\`${n}\``).join(', ')}\n`);

  const src = query.from.kind === 'AliasedSource' ? host.catalog.source(query.from.name) : undefined;
  if (!src) return;
  const windowed = src.keyFormat.window !== undefined;
  const columns = columnsOf(src, windowed);
  const literalType = (e: Expr): SqlType | null | undefined => (LITERALS.has(e.kind)
    ? bindExpr(e, { scope: new Scope([]), functions: host.functions, types: (t) => host.catalog.type(t) }).type : undefined);
  if (query.where) {
    checkWhereColumns(query.where, columns, text);
    checkComparisonTypes(query.where, columns, literalType, text);
  }
  if (src.type !== 'TABLE') return;
  const enabled = (name: string): boolean => host.property(session, name) !== 'false';
  const access = analyzeWhere(query.where, {
    keys: src.schema.key.map((c) => ({ name: c.name, type: c.type })),
    columns, windowed,
    tableScansEnabled: enabled('ksql.query.pull.table.scan.enabled'),
    rangeScansEnabled: enabled('ksql.query.pull.range.scan.enabled'),
    resolve: (e) => {
      const b = bindExpr(e, { scope: new Scope([]), functions: host.functions, types: (t) => host.catalog.type(t), clause: 'WHERE' });
      return { value: compileExpr(b)([], []), type: b.type };
    },
  });
  if (query.where) checkBetweenTypes(query.where, columns, literalType, text);
  analyses.set(query, access);
}

function disallowedColumns(e: Expr): string[] {
  const out: string[] = [];
  visitColumns(e, (name) => {
    if (name === 'ROWPARTITION' || name === 'ROWOFFSET') out.push(name);
  });
  return out;
}

/** Calls `f` for each column reference (not lambda parameters). */
function visitColumns(e: Expr, f: (name: string, ref: Expr) => void, lambdas: ReadonlySet<string> = new Set()): void {
  if (e.kind === 'ColumnRef') {
    if (e.source !== undefined || !lambdas.has(e.name)) f(e.name, e);
    return;
  }
  if (e.kind === 'Lambda') {
    visitColumns(e.body, f, new Set([...lambdas, ...e.params]));
    return;
  }
  for (const child of children(e)) visitColumns(child, f, lambdas);
}


function columnsOf(src: SourceInfo, windowed: boolean): Map<string, PullColumn> {
  const cols = new Map<string, PullColumn>();
  for (const c of [...src.schema.key, ...src.schema.value]) cols.set(c.name, { name: c.name, type: c.type });
  const pseudo: [string, SqlType][] = [['ROWTIME', { kind: 'BIGINT' }], ['ROWPARTITION', { kind: 'INTEGER' }], ['ROWOFFSET', { kind: 'BIGINT' }]];
  if (windowed) pseudo.push(['WINDOWSTART', { kind: 'BIGINT' }], ['WINDOWEND', { kind: 'BIGINT' }]);
  for (const [name, type] of pseudo) if (!cols.has(name)) cols.set(name, { name, type });
  return cols;
}

/** Name resolution comes first in ksqlDB: window bounds of a non-windowed source are unknown. */
function checkWhereColumns(where: Expr, columns: ReadonlyMap<string, PullColumn>, text: string): void {
  visitColumns(where, (name, ref) => {
    if (ref.kind === 'ColumnRef' && ref.source === undefined && !columns.has(name)) {
      throw statementError(`WHERE column '${name}' cannot be resolved.`, text);
    }
  });
}

const LITERALS: ReadonlySet<string> = new Set(['IntegerLiteral', 'DecimalLiteral', 'DoubleLiteral', 'StringLiteral', 'BooleanLiteral']);
const NUMERIC: ReadonlySet<string> = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL']);
const PRIMITIVE: ReadonlySet<string> = new Set([...NUMERIC, 'STRING', 'BOOLEAN', 'BYTES', 'TIMESTAMP', 'DATE', 'TIME']);

type LiteralTyper = (e: Expr) => SqlType | null | undefined;

/** Whether a column and a literal cannot be compared; undefined when this check cannot tell. */
function mismatch(e: Expr, other: Expr, columns: ReadonlyMap<string, PullColumn>, literalType: LiteralTyper): [string, string] | undefined {
  if (e.kind !== 'ColumnRef') return undefined;
  const col = columns.get(e.name);
  const lit = literalType(other);
  if (!col || !lit || !PRIMITIVE.has(col.type.kind)) return undefined;
  const c = col.type.kind;
  if (c === lit.kind || (NUMERIC.has(c) && NUMERIC.has(lit.kind))) return undefined;
  // Timestamps (and the magic ROWTIME/window bounds) compare with datetime strings.
  if (lit.kind === 'STRING' && (['TIMESTAMP', 'DATE', 'TIME'].includes(c) || ['ROWTIME', 'WINDOWSTART', 'WINDOWEND'].includes(e.name))) return undefined;
  return [formatType(col.type), formatType(lit)];
}

/** ksqlDB's type checker runs before the pull planner: `x = NULL` and column-literal type clashes. */
function checkComparisonTypes(where: Expr, columns: ReadonlyMap<string, PullColumn>, literalType: LiteralTyper, text: string): void {
  const visit = (e: Expr): void => {
    if (e.kind === 'Comparison') {
      const nullSide = e.left.kind === 'NullLiteral' ? 'left' : e.right.kind === 'NullLiteral' ? 'right' : undefined;
      if (nullSide) {
        const other = nullSide === 'left' ? e.right : e.left;
        const t = other.kind === 'ColumnRef' ? columns.get(other.name)?.type : undefined;
        if (t) {
          const [l, r] = nullSide === 'left' ? ['NULL', formatType(t)] : [formatType(t), 'NULL'];
          throw statementError(`Error in WHERE expression: Comparison with NULL not supported: ${l} ${e.op} ${r}\nUse 'IS NULL' or 'IS NOT NULL' instead.\nStatement: ${formatExpr(e)}`, text);
        }
      }
      const m = mismatch(e.left, e.right, columns, literalType);
      const m2 = m ? undefined : mismatch(e.right, e.left, columns, literalType);
      const types = m ?? (m2 ? [m2[1], m2[0]] : undefined);
      if (types) {
        throw statementError(`Error in WHERE expression: Cannot compare ${formatExpr(e.left)} (${types[0]}) to ${formatExpr(e.right)} (${types[1]}) with ${JAVA_OP[e.op]}.\nStatement: ${formatExpr(e)}`, text);
      }
    }
    if (e.kind === 'Logical') { visit(e.left); visit(e.right); }
    if (e.kind === 'Not') visit(e.operand);
  };
  visit(where);
}

/** BETWEEN is checked as the two comparisons ksqlDB rewrites it to, when it compiles the filter. */
function checkBetweenTypes(where: Expr, columns: ReadonlyMap<string, PullColumn>, literalType: LiteralTyper, text: string): void {
  const visit = (e: Expr): void => {
    if (e.kind === 'Between') {
      for (const [bound, op] of [[e.low, '>='], [e.high, '<=']] as const) {
        const m = mismatch(e.operand, bound, columns, literalType);
        if (m) {
          throw statementError(`Invalid expression: Cannot compare ${formatExpr(e.operand)} (${m[0]}) to ${formatExpr(bound)} (${m[1]}) with ${JAVA_OP[op]}.\nStatement: (${formatExpr(e.operand)} ${op} ${formatExpr(bound)})`, text);
        }
      }
    }
    if (e.kind === 'Logical') { visit(e.left); visit(e.right); }
    if (e.kind === 'Not') visit(e.operand);
  };
  visit(where);
}

function findSource(step: Step): (Step & { kind: 'Source' }) | undefined {
  if (step.kind === 'Source') return step;
  if ('input' in step) return findSource(step.input);
  return undefined;
}

function hasAggregate(step: Step): boolean {
  if (step.kind === 'Aggregate') return true;
  return 'input' in step ? hasAggregate(step.input) : false;
}

/** The query whose Materialize stores hold a table: its CTAS, or the CST of a source table. */
function writerOf(host: ExecutorHost, table: string): QueryRunner | undefined {
  const q = host.catalog.queries().find((x) => x.sinks.includes(table) || (x.id.startsWith('CST_') && x.sources.includes(table) && x.sinks.length === 0));
  return q ? host.runners.get(q.id) : undefined;
}

/**
 * High-availability hook for one pull query, set per session by the cluster layer (src/cluster):
 * which partitions to read, whether standby replicas count, and which partitions the query needs.
 */
export interface PullRouting {
  /** Read only these partitions (pinned by the forwarding host); undefined: every local one. */
  readonly partitions?: ReadonlySet<number>;
  /** Read standby replicas' stores too. */
  readonly standbys?: boolean;
  /** Told, before reading, which query's tasks hold the table and which partitions the keys need. */
  readonly located?: (info: { readonly queryId: string; readonly taskPrefix: string; readonly partitions: readonly number[] }) => void;
}

export const pullRouting = new WeakMap<Session, PullRouting>();

/** A pull query on a table: reads the rows its WHERE clause needs, then filters and projects them. */
export async function pullFromTable(host: ExecutorHost, plan: PlannedQuery, query: Query, columns: QueryColumn[], queryId: string, text: string, session?: Session): Promise<QueryHandle> {
  const source = findSource(plan.root)!;
  const table = source.source;
  const runner = writerOf(host, table.name);
  if (!runner) {
    throw statementError(`The \`${table.name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${table.name} AS SELECT * FROM ${table.name}'.${HELP}`, text);
  }
  if (hasAggregate(plan.root)) throw statementError(`Pull queries don't support GROUP BY clauses.${HELP}`, text);
  const routing = session ? pullRouting.get(session) : undefined;
  const reader = tableReader(runner, plan, source, routing);
  const access = analyses.get(query) ?? { kind: 'scan' };
  if (routing?.located) {
    const n = reader.partitioning.partitions;
    const needed = access.kind === 'lookup'
      ? [...locateKeyPartitions(access.keys.map((k) => k.key), reader.partitioning).keys()].sort((a, b) => a - b)
      : Array.from({ length: n }, (_, p) => p);
    routing.located({ queryId: runner.queryId, taskPrefix: `${runner.queryId}/${runner.subs.length - 1}_`, partitions: needed });
  }
  const rows = reader.read(access, query.limit);
  if (!routing && access.kind === 'lookup' && access.keys.length === 1 && query.limit === undefined && isKeyEqualsLiteral(query.where, table)) {
    // The lookup is the whole WHERE: the prepared reader must not keep this literal's filter.
    const unfiltered = tableReader(runner, { ...plan, root: withoutFilters(plan.root) }, source);
    rememberPull(text, { source: table, runner, columns, keyType: table.schema.key[0]!.type, tasks: [...runner.tasks()], lookup: (key) => unfiltered.lookupOne(key) });
  }
  return completedPullHandle(queryId, columns, rows, query.limit !== undefined && rows.length >= query.limit ? 'Limit Reached' : 'Query Completed');
}

function withoutFilters(step: Step): Step {
  if (step.kind === 'Filter') return withoutFilters(step.input);
  return 'input' in step ? { ...step, input: withoutFilters(step.input) } as Step : step;
}

/** `key = literal` on a single-column key: the shape prepared pull queries answer. */
function isKeyEqualsLiteral(where: Expr | undefined, table: SourceInfo): boolean {
  if (!where || where.kind !== 'Comparison' || where.op !== '=' || table.schema.key.length !== 1) return false;
  const literal = ['IntegerLiteral', 'DecimalLiteral', 'StringLiteral'].includes(where.right.kind);
  return literal && where.left.kind === 'ColumnRef' && where.left.name === table.schema.key[0]!.name;
}

interface Candidate {
  readonly value: unknown[];
  readonly partition: number;
}

/** Reading one table's stores for one planned query: row assembly, filter and projection. */
export function tableReader(runner: QueryRunner, plan: PlannedQuery, source: Step & { kind: 'Source' }, routing?: PullRouting) {
  const keyCount = source.keyCount;
  const valueCount = source.valueCount;
  const width = source.layout.length;
  const windowed = source.windowed;
  const stores = new Map<number, TaskStore<unknown[] | null>>();
  for (const task of routing?.standbys ? [...runner.tasks(), ...runner.standbyTasks()] : runner.tasks()) {
    const store = task.stores().get(MATERIALIZE_STORE);
    const p = Number(task.id.slice(task.id.indexOf('_') + 1));
    if (store && (!routing?.partitions || routing.partitions.has(p))) stores.set(p, store as TaskStore<unknown[] | null>);
  }
  // Every partition of the table's sub-topology, held here or not (routing needs the true count).
  const lastSub = `${runner.queryId}/${runner.subs.length - 1}_`;
  const partitions = Math.max(Math.max(0, ...stores.keys()) + 1, runner.taskIds().filter((t) => t.startsWith(lastSub)).length);
  const partitioning: KeyPartitioning = partitioningOf(runner.subs, keyCount, partitions);
  const steps: Step[] = [];
  for (let s: Step | undefined = plan.root; s && s.kind !== 'Source'; s = 'input' in s ? s.input : undefined) steps.unshift(s);
  const evaluators = steps.map((s) => (s.kind === 'Filter' ? { filter: compileExpr(s.predicate) }
    : s.kind === 'Project' ? { project: s.exprs.map(compileExpr) } : {}));
  const env: unknown[] = [];

  const toRow = (v: unknown[]): unknown[] => {
    // Filled in a loop: Array.prototype.fill on a new array runs in C++, several times slower here.
    const row: unknown[] = new Array(width);
    const n = keyCount + valueCount;
    for (let i = 0; i < n; i++) row[i] = v[i] ?? null;
    for (let i = n; i < width; i++) row[i] = null;
    row[n] = BigInt(v[v.length - 3] as number);
    row[n + 1] = 0;
    row[n + 2] = 0n;
    if (windowed) {
      row[n + 3] = BigInt(v[v.length - 2] as number);
      row[n + 4] = BigInt(v[v.length - 1] as number);
    }
    return row;
  };
  /** The projected row, or undefined when WHERE drops it. */
  const evaluate = (v: unknown[]): unknown[] | undefined => {
    try {
      let row = toRow(v);
      for (const ev of evaluators) {
        if (ev.filter) {
          if (ev.filter(row, env) !== true) return undefined;
        } else if (ev.project) {
          const fs = ev.project;
          const out = new Array<unknown>(fs.length);
          for (let i = 0; i < fs.length; i++) out[i] = fs[i]!(row, env);
          row = out;
        }
      }
      return row;
    } finally {
      // A pull query has no processing log; what its expressions caught (null values) must not
      // be reported later against a persistent query's record.
      drainCaughtErrors();
    }
  };

  const candidates = (access: PullAccess): Candidate[] => {
    const out: Candidate[] = [];
    const push = (p: number, v: unknown): void => {
      if (v) out.push({ value: v as unknown[], partition: p });
    };
    if (access.kind === 'lookup') {
      const located = locateKeyPartitions(access.keys.map((k) => k.key), partitioning);
      for (const [p, indexes] of located) {
        const store = stores.get(p);
        if (!store) continue;
        for (const i of indexes) {
          const { key, starts } = access.keys[i]!;
          if (!windowed) {
            push(p, store.get(TaskStore.keyOf(key)));
            continue;
          }
          const prefix = TaskStore.keyOf(key);
          const from = starts.lo !== undefined ? TaskStore.keyOf([...key, starts.lo]) : prefix;
          const to = starts.hi !== undefined ? TaskStore.keyOf([...key, starts.hi + 1]) : prefixEnd(prefix);
          for (const e of store.range(from, to)) push(p, e.value);
        }
      }
      return out;
    }
    for (const [p, store] of stores) {
      if (access.kind === 'range') {
        // The key encoding orders strings by code point, as the comparison does; the filter
        // still checks every row, so the range only has to contain the answer.
        const b = TaskStore.keyOf([access.bound]);
        const lower = access.op === '>' || access.op === '>=' ? b : undefined;
        const upper = access.op === '<' || access.op === '<=' ? prefixEnd(b) : undefined;
        for (const e of store.range(lower, upper)) push(p, e.value);
      } else {
        for (const e of store.all()) push(p, e.value);
      }
    }
    return out;
  };

  /** Adds the row partition `p` holds for the key (if WHERE keeps it); true when it holds one. */
  const visitKey = (p: number, ks: string, rows: QueryRow[]): boolean => {
    const v = stores.get(p)?.getByKeyString(ks) as unknown[] | null | undefined;
    if (!v) return false;
    const r = evaluate(v);
    if (r) rows.push({ values: r });
    return true;
  };
  const likely = partitioning.kind === 'unknown' ? likelyKeyPartition(runner.subs, keyCount, partitions) : undefined;
  const scanOrder = ksqlScanOrder(runner.subs[runner.subs.length - 1]!.root.step as Step & { kind: 'Sink' }, keyCount,
    partitioning.kind === 'key-bytes', partitions);

  return {
    partitioning,
    /**
     * The rows for one whole key: what `read` returns for a lookup of it without LIMIT, with the
     * key encoded once and no lookup bookkeeping (prepared pull queries).
     */
    lookupOne(key: readonly unknown[]): QueryRow[] {
      if (windowed) return this.read({ kind: 'lookup', keys: [{ key, starts: { lo: undefined, hi: undefined } }] }, undefined);
      // The stores' cache is keyed by a string built from the values: no key bytes unless the
      // partition is found from them.
      const ks = TaskStore.keyStringOf(key);
      const rows: QueryRow[] = [];
      if (partitioning.kind === 'key-bytes') {
        visitKey(partitionForKey(TaskStore.keyOf(key), partitioning.partitions), ks, rows);
        return rows;
      }
      const first = likely?.(key);
      if (first !== undefined && visitKey(first, ks, rows)) return rows;
      for (let p = 0; p < partitioning.partitions; p++) if (p !== first) visitKey(p, ks, rows);
      return rows;
    },
    read(access: PullAccess, limit: number | undefined): QueryRow[] {
      const found = candidates(access);
      if (limit !== undefined && access.kind !== 'lookup') {
        // Which rows a LIMIT keeps depends on the scan order: ksqlDB's, not the stores'.
        const order = scanOrder(found.map((c) => ({
          key: c.value.slice(0, keyCount), taskPartition: c.partition,
          windowStart: windowed ? (c.value[c.value.length - 2] as number) : 0,
        })));
        const sorted = order.map((i) => found[i]!);
        found.length = 0;
        found.push(...sorted);
      }
      const rows: QueryRow[] = [];
      for (const c of found) {
        if (limit !== undefined && rows.length >= limit) break;
        const r = evaluate(c.value);
        if (r) rows.push({ values: r });
      }
      return rows;
    },
  };
}

/** The smallest key after every key that starts with `prefix`. */
function prefixEnd(prefix: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + 1);
  out.set(prefix);
  out[prefix.length] = 0xff;
  return out;
}
