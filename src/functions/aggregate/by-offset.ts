// EARLIEST_BY_OFFSET and LATEST_BY_OFFSET, single-valued or the first/last n values, ignoring
// nulls unless told otherwise. Like ksqlDB, each value is stored with a sequence number
// (STRUCT<SEQ BIGINT, VAL T>) so that merged session windows keep arrival order.

import { arrayType, BIGINT, structType, type SqlType } from '../../common/sql-type.ts';
import type { AggregateFunction, ArgInfo, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, intLiteral, literalValue, noOverload, type Resolution } from './resolve.ts';

interface Entry { readonly SEQ: bigint; readonly VAL: unknown }

/**
 * Arrival order across all aggregates of the process. It only ever moves forward past the
 * sequence numbers of accumulators it sees, so state restored from a changelog after a restart
 * still orders before new values.
 */
let nextSeq = 0n;
function seqAfter(...seen: (bigint | undefined)[]): bigint {
  for (const s of seen) if (s !== undefined && s >= nextSeq) nextSeq = s + 1n;
  return nextSeq++;
}

type Which = 'EARLIEST' | 'LATEST';

function resolveByOffset(which: Which, args: readonly ArgInfo[]): Resolution {
  const name = `${which}_BY_OFFSET`;
  const types = args.map(argType);
  const t = types[0];
  const kinds = types.slice(1).map((x) => (x === null ? 'null' : x?.kind));
  // Overloads: (T), (T, BOOLEAN ignoreNulls), (T, INT n), (T, INT n, BOOLEAN ignoreNulls).
  const shape = kinds.join(',');
  const valid = ['', 'BOOLEAN', 'INTEGER', 'INTEGER,BOOLEAN', 'null', 'INTEGER,null'];
  if (!t || args.length > 3 || !valid.includes(shape)) return noOverload(name, args);
  let n: number | undefined;
  let ignoreNulls = true;
  for (let i = 1; i < args.length; i++) {
    if (kinds[i - 1] === 'INTEGER') {
      const lit = intLiteral(name, args, i);
      if ('error' in lit) return lit;
      n = lit.value;
      if (n < 1) return { error: `${name} can only be used with n greater than 0, but was ${n}` };
    } else {
      const lit = literalValue(name, args, i);
      if ('error' in lit) return lit;
      ignoreNulls = lit.value !== false;
    }
  }
  return n === undefined ? single(which, t, ignoreNulls) : multiple(which, t, n, ignoreNulls);
}

function single(which: Which, t: SqlType, ignoreNulls: boolean): ResolvedAggregate<Entry | null> {
  const pickFirst = (x: Entry, y: Entry): boolean => (which === 'EARLIEST' ? x.SEQ <= y.SEQ : x.SEQ >= y.SEQ);
  return {
    returnType: t,
    accumulatorType: structType([{ name: 'SEQ', type: BIGINT }, { name: 'VAL', type: t }]),
    inputArgCount: 1,
    initial: () => null,
    add: (acc, a) => {
      const v = a[0];
      if (v === null && ignoreNulls) return acc;
      if (which === 'EARLIEST' && acc !== null) return acc;
      return { SEQ: seqAfter(acc?.SEQ), VAL: v };
    },
    merge: (x, y) => (x === null ? y : y === null ? x : pickFirst(x, y) ? x : y),
    result: (acc) => (acc === null ? null : acc.VAL),
  };
}

function multiple(which: Which, t: SqlType, n: number, ignoreNulls: boolean): ResolvedAggregate<readonly Entry[]> {
  const keep = (entries: readonly Entry[]): readonly Entry[] =>
    entries.length <= n ? entries : which === 'EARLIEST' ? entries.slice(0, n) : entries.slice(entries.length - n);
  return {
    returnType: arrayType(t),
    accumulatorType: arrayType(structType([{ name: 'SEQ', type: BIGINT }, { name: 'VAL', type: t }])),
    inputArgCount: 1,
    initial: () => [],
    add: (acc, a) => {
      const v = a[0];
      if ((v === null && ignoreNulls) || (which === 'EARLIEST' && acc.length >= n)) return acc;
      return keep([...acc, { SEQ: seqAfter(acc[acc.length - 1]?.SEQ), VAL: v }]);
    },
    merge: (x, y) => keep([...x, ...y].sort((p, q) => (p.SEQ < q.SEQ ? -1 : p.SEQ > q.SEQ ? 1 : 0))),
    result: (acc) => acc.map((e) => e.VAL),
  };
}

function byOffset(which: Which): AggregateFunction {
  const name = `${which}_BY_OFFSET`;
  const adjective = which === 'EARLIEST' ? 'earliest' : 'latest';
  return {
    doc: aggregateDoc(name, `Returns the ${adjective} value(s) of the column by offset; nulls are ignored by default.`, [
      { args: 'col1 T', returns: 'T' },
      { args: 'col1 T, ignoreNulls BOOLEAN', returns: 'T' },
      { args: 'col1 T, n INT', returns: 'ARRAY<T>' },
      { args: 'col1 T, n INT, ignoreNulls BOOLEAN', returns: 'ARRAY<T>' },
    ]),
    resolve: (args) => resolveByOffset(which, args),
  };
}

export const EARLIEST_BY_OFFSET = byOffset('EARLIEST');
export const LATEST_BY_OFFSET = byOffset('LATEST');
