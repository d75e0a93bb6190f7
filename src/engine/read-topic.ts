// Reads a whole topic back and decodes it with the formats of the source registered on it.

import { createKeySerde, createValueSerde } from '../serde/serde-factory.ts';
import type { Log } from '../log/log.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { TopicRecord } from './engine-api.ts';

export async function readTopicDecoded(host: { log: Log; catalog: Catalog }, topic: string): Promise<TopicRecord[]> {
  const d = await host.log.describeTopic(topic);
  if (!d) return [];
  const src = host.catalog.sourcesOnTopic(topic)[0];
  const keySerde = src ? createKeySerde(src.keyFormat, src.schema.key) : undefined;
  const valueSerde = src ? createValueSerde(src.valueFormat, src.schema.value.filter((c) => c.namespace === 'VALUE')) : undefined;
  const out: TopicRecord[] = [];
  for (let p = 0; p < d.partitions; p++) {
    let pos = await host.log.startOffset(topic, p);
    for (;;) {
      const recs = await host.log.read(topic, p, pos, 1000);
      if (recs.length === 0) break;
      for (const r of recs) {
        const k = keySerde ? keySerde.deserialize(r.key, topic) : { key: r.key === null ? null : [r.key], window: undefined };
        out.push({
          partition: p, offset: r.offset, timestamp: r.timestamp, key: k.key, window: k.window,
          value: valueSerde ? valueSerde.deserialize(r.value, topic) : r.value === null ? null : [r.value],
        });
      }
      pos = recs[recs.length - 1]!.offset + 1;
    }
  }
  return out;
}
