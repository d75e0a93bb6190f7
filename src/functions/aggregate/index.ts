// The built-in aggregate functions (ksqlDB's UDAFs). COLLECT_LIST/COLLECT_SET take their size
// limits from ksql.functions.collect_list.limit / ksql.functions.collect_set.limit.

import type { AggregateFunction } from '../function-types.ts';
import { ATTR } from './attr.ts';
import { AVG } from './avg.ts';
import { EARLIEST_BY_OFFSET, LATEST_BY_OFFSET } from './by-offset.ts';
import { collectList } from './collect-list.ts';
import { collectSet } from './collect-set.ts';
import { CORRELATION } from './correlation.ts';
import { COUNT } from './count.ts';
import { COUNT_DISTINCT } from './count-distinct.ts';
import { HISTOGRAM } from './histogram.ts';
import { MAX, MIN } from './min-max.ts';
import { STDDEV_SAMP, STDDEV_SAMPLE } from './stddev.ts';
import { SUM } from './sum.ts';
import { SUM_LIST } from './sum-list.ts';
import { TOPK } from './topk.ts';
import { TOPKDISTINCT } from './topk-distinct.ts';

/** ksqlDB's self-managed default for both limits (Integer.MAX_VALUE: in effect none). */
export const DEFAULT_COLLECT_LIMIT = 2147483647;

export interface AggregateOptions {
  readonly collectListLimit?: number;
  readonly collectSetLimit?: number;
}

export function aggregateFunctions(options: AggregateOptions = {}): readonly AggregateFunction[] {
  return [
    ATTR, AVG, collectList(options.collectListLimit ?? DEFAULT_COLLECT_LIMIT),
    collectSet(options.collectSetLimit ?? DEFAULT_COLLECT_LIMIT), CORRELATION, COUNT, COUNT_DISTINCT,
    EARLIEST_BY_OFFSET, HISTOGRAM, LATEST_BY_OFFSET, MAX, MIN, STDDEV_SAMP, STDDEV_SAMPLE, SUM, SUM_LIST,
    TOPK, TOPKDISTINCT,
  ];
}
