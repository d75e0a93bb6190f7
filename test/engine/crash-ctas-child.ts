// Child process of crash-recovery.test.ts: opens the engine over argv[2] in background scheduling,
// (re-)creates the stream and the CTAS, and reports committed input progress (`P <n>`) on stdout
// until all <argv[3]> input records are committed, then prints `DONE` and exits - unless killed.
import { openEngine } from '../../src/engine/engine.ts';
import { topicPartitionKey } from '../../src/log/log.ts';
import { ensureQuery, SOURCE_TOPIC } from './crash-ctas-fixture.ts';

const dataDir = process.argv[2]!;
const expected = Number(process.argv[3]);
const engine = await openEngine({ dataDir, scheduling: 'background', properties: {
  'ksql.streams.auto.offset.reset': 'earliest',
  // Every update reaches the sink (no record cache), so the test can check each count once.
  'ksql.streams.cache.max.bytes.buffering': '0',
  // Small commits: at the default 2 s the engine can take all the input in its first commit, and
  // the kills must land between commits, mid-query.
  'ksql.streams.commit.interval.ms': '20',
} });
const queryId = await ensureQuery(engine, engine.newSession());
const runner = engine.runners.get(queryId)!;
const group = `_confluent-ksql-${engine.serviceId}query_${queryId}`;
const inputs = [...new Set(runner.subs.flatMap((s) => s.inputTopics))];
process.stdout.write(`READY ${queryId}\n`);

for (;;) {
  const committed = await engine.log.committedOffsets(group);
  let sourceCommitted = 0;
  let caughtUp = true;
  for (const topic of inputs) {
    const partitions = (await engine.log.describeTopic(topic))!.partitions;
    for (let p = 0; p < partitions; p++) {
      const c = committed.get(topicPartitionKey(topic, p)) ?? 0;
      if (topic === SOURCE_TOPIC) sourceCommitted += c;
      if (c < (await engine.log.endOffset(topic, p))) caughtUp = false;
    }
  }
  const q = engine.persistentQueries().find((x) => x.id === queryId);
  if (q?.state === 'ERROR') {
    process.stdout.write(`ERROR ${q.error}\n`);
    process.exit(1);
  }
  process.stdout.write(`P ${sourceCommitted}\n`);
  if (caughtUp && sourceCommitted >= expected) break;
  await new Promise((r) => setTimeout(r, 20));
}
await engine.close();
process.stdout.write('DONE\n');
