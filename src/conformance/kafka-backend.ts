// `--log kafka` for the conformance runner: a 1-broker Kafka started for the run (or the one named
// by KAFKA_BOOTSTRAP_SERVERS), and one prefixed view of it per case so cases never share topics,
// consumer groups, transactional ids or command topics.
import { startKafka } from '../kafka-local/cluster.ts';
import { connectKafka } from '../engine/log-selection.ts';
import { PrefixedLog } from '../log/kafka/topic-prefix.ts';
import type { Log } from '../log/log.ts';

/**
 * Per-case time limit on Kafka. A case there creates and deletes real topics, and each commit is a
 * Kafka transaction waited on until readable: a join case takes seconds on a loaded 2-core machine
 * where the embedded log takes milliseconds, so the embedded default (20 s) fails slow cases that
 * would pass.
 */
export const KAFKA_CASE_TIMEOUT_MS = 60_000;

export interface KafkaBackend {
  readonly bootstrapServers: string;
  /** A fresh log for one case. */
  newLog(): Promise<Log>;
  stop(): Promise<void>;
}

export async function kafkaBackend(progress: (line: string) => void = () => {}): Promise<KafkaBackend> {
  const given = process.env['KAFKA_BOOTSTRAP_SERVERS'];
  const cluster = given ? undefined : await startKafka({ brokers: 1, heap: '512m', progress });
  const bootstrapServers = given ?? cluster!.bootstrapServers;
  const run = Date.now().toString(36);
  let n = 0;
  return {
    bootstrapServers,
    newLog: async () => new PrefixedLog(await connectKafka(bootstrapServers, 'conformance', { timeoutMs: 30_000 }), `qtt-${run}-${n++}-`),
    stop: async () => {
      await cluster?.stop();
    },
  };
}
