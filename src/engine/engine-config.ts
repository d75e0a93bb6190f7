// ksqlDB properties the engine reads, with their defaults, and how a session's overrides
// (SET, request streamsProperties) are layered over the server's configuration.

import type { Session } from './engine-api.ts';

export const ENGINE_DEFAULTS: Readonly<Record<string, string>> = {
  'ksql.service.id': 'default_',
  'ksql.persistence.default.format.key': 'KAFKA',
  'ksql.persistence.wrap.single.values': '',
  'ksql.query.pull.table.scan.enabled': 'true',
  'ksql.streams.auto.offset.reset': 'latest',
  'ksql.streams.commit.interval.ms': '2000',
  'ksql.streams.cache.max.bytes.buffering': '10000000',
  'ksql.sink.replicas': '1',
  'ksql.internal.topic.replicas': '1',
  'ksql.headers.columns.enabled': 'true',
  'ksql.timestamp.throw.on.invalid': 'false',
};

/** A property as seen by one statement: session override, then engine config, then default. */
export function propertyOf(config: ReadonlyMap<string, string>, session: Session | undefined, name: string): string | undefined {
  const alt = name.startsWith('ksql.streams.') ? name.slice('ksql.streams.'.length) : `ksql.streams.${name}`;
  return session?.properties.get(name) ?? session?.properties.get(alt) ?? config.get(name) ?? config.get(alt) ?? ENGINE_DEFAULTS[name];
}
