// Picks the engine's Log from its settings: Kafka when bootstrap.servers (or ksqlDB's
// ksql.streams.bootstrap.servers, which wins) is set, else the embedded log in the data directory.
// Connecting to Kafka retries until the cluster answers, reporting each failure clearly.
import { join } from 'node:path';
import type { Log } from '../log/log.ts';
import { openEmbeddedLog } from '../log/embedded/embedded-log.ts';
import { KafkaLog } from '../log/kafka/kafka-log.ts';

export interface LogSelectionOptions {
  /** Told about each failed attempt to reach Kafka ("cannot reach Kafka at ... (retrying)"). */
  readonly report?: (message: string) => void;
  /** Give up after this long (default: never). */
  readonly timeoutMs?: number;
  /** Stop retrying when this returns true (shutdown requested). */
  readonly cancelled?: () => boolean;
}

/** The Kafka bootstrap servers configured in `properties`, or undefined for the embedded log. */
export function kafkaBootstrapServers(properties: Readonly<Record<string, string>>): string | undefined {
  const v = (properties['ksql.streams.bootstrap.servers'] ?? '').trim() || (properties['bootstrap.servers'] ?? '').trim();
  return v === '' ? undefined : v;
}

export async function selectLog(
  properties: Readonly<Record<string, string>>, dataDir: string, options: LogSelectionOptions = {},
): Promise<Log> {
  const bootstrap = kafkaBootstrapServers(properties);
  if (bootstrap === undefined) return openEmbeddedLog(join(dataDir, 'log'));
  return connectKafka(bootstrap, properties['ksql.service.id'] ?? 'default_', options);
}

/** A KafkaLog that has answered one metadata request; retries with backoff until then. */
export async function connectKafka(bootstrap: string, clientId: string, options: LogSelectionOptions = {}): Promise<KafkaLog> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (let attempt = 1, delay = 500; ; attempt++, delay = Math.min(delay * 2, 10_000)) {
    const log = new KafkaLog({ bootstrapServers: bootstrap, clientId: `riffle-${clientId}` });
    try {
      await log.client.retrying(() => log.client.clusterMetadata([], true));
      return log;
    } catch (e) {
      await log.close().catch(() => {});
      const prefix = `Cannot reach Kafka at bootstrap servers ${log.client.bootstrapServers.join(',')}: `;
      const text = (e as Error).message;
      const reason = text.startsWith(prefix) ? text.slice(prefix.length) : text;
      const message = `cannot reach Kafka at ${bootstrap}: ${reason} (retrying in ${delay / 1000} s, attempt ${attempt})`;
      if (Date.now() + delay > deadline || options.cancelled?.()) throw new Error(message.replace(/ \(retrying.*$/, ''), { cause: e });
      options.report?.(message);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
