// Exactly-once under broker crashes: a CTAS (COUNT, SUM) under exactly_once_v2 keeps exact counts
// when the only broker is killed -9 and restarted mid-stream, and loses nothing on a 3-broker
// cluster when one broker is killed. Each scenario starts its own brokers and stops them.
import { test } from 'node:test';
import { startKafka } from '../../src/kafka-local/cluster.ts';
import { runEosScenario } from './eos-scenario.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

void test('1 broker: kill -9 and restart mid-CTAS, counts exact', { timeout: 300_000 }, async () => {
  const cluster = await startKafka({ brokers: 1, heap: '384m' });
  try {
    await runEosScenario(cluster, {
      records: 6000, batch: 100, replicas: 1,
      disrupt: async (c) => {
        await c.stopBroker(1, 'SIGKILL');
        await sleep(1000);
        await c.restartBroker(1);
      },
    });
  } finally {
    await cluster.stop();
  }
});

void test('3 brokers: kill -9 one mid-CTAS, nothing lost', { timeout: 400_000 }, async () => {
  const cluster = await startKafka({ brokers: 3, heap: '320m' });
  try {
    await runEosScenario(cluster, {
      records: 6000, batch: 100, replicas: 3,
      disrupt: async (c) => {
        await c.stopBroker(2, 'SIGKILL');
      },
    });
  } finally {
    await cluster.stop();
  }
});
