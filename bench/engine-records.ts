// The engine benchmark's data set: deterministic JSON orders of about 150 bytes over 10,000 users,
// the source stream's DDL and the two workloads' statements.

export const USERS = 10_000;
export const SOURCE_TOPIC = 'orders';

export const CREATE_SOURCE =
  `CREATE STREAM orders (order_id BIGINT, user_id VARCHAR, region VARCHAR, amount INT, price DOUBLE, status VARCHAR, ts BIGINT, note VARCHAR)
   WITH (KAFKA_TOPIC='${SOURCE_TOPIC}', PARTITIONS=1, VALUE_FORMAT='JSON');`;

export interface Workload {
  readonly name: string;
  readonly statement: string;
}

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'filter_project',
    statement: `CREATE STREAM shipped AS SELECT order_id, user_id, UCASE(region) AS region, amount * price AS revenue
      FROM orders WHERE status = 'SHIPPED' AND amount > 10 EMIT CHANGES;`,
  },
  {
    name: 'group_by_count_sum',
    statement: `CREATE TABLE totals AS SELECT user_id, COUNT(*) AS orders, SUM(amount) AS total
      FROM orders GROUP BY user_id EMIT CHANGES;`,
  },
];

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1', 'sa-east-1'];
const STATUSES = ['SHIPPED', 'PENDING', 'SHIPPED', 'CANCELLED', 'SHIPPED'];

/** The i-th record's JSON text. */
export function recordJson(i: number): string {
  return JSON.stringify({
    ORDER_ID: 10_000_000 + i,
    USER_ID: `user_${String((i * 7919) % USERS).padStart(5, '0')}`,
    REGION: REGIONS[i % REGIONS.length],
    AMOUNT: (i * 31) % 500,
    PRICE: ((i * 17) % 10_000) / 100,
    STATUS: STATUSES[i % STATUSES.length],
    TS: 1_700_000_000_000 + i * 10,
    NOTE: `note ${i % 1000} lorem`,
  });
}
