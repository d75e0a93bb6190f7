// `npm run kafka -- start [--brokers 1|3] | stop | status`: a local Apache Kafka for development,
// CI and benchmarks. Brokers outlive this command; their pids live in .kafka/state.json.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CACHE_DIR, startKafka } from '../kafka-local/cluster.ts';
import { KAFKA_VERSION } from '../kafka-local/jars.ts';
import { isKafkaPid, terminate } from '../kafka-local/process.ts';

interface State {
  readonly bootstrapServers: string;
  readonly dataDir: string;
  readonly kafkaVersion: string;
  readonly brokers: readonly { id: number; pid: number; port: number }[];
}

const stateFile = join(DEFAULT_CACHE_DIR, 'state.json');

function readState(): State | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

const running = (s: State) => s.brokers.filter((b) => isKafkaPid(b.pid));

async function start(brokers: number): Promise<void> {
  const state = readState();
  if (state && running(state).length > 0) {
    console.log(`Kafka is already running: bootstrap servers ${state.bootstrapServers} (pids ${running(state).map((b) => b.pid).join(', ')})`);
    return;
  }
  if (state) await cleanup(state); // stale state from a crashed run
  const cluster = await startKafka({ brokers, detached: true, preferDefaultPorts: true, progress: (m) => console.log(m) });
  const newState: State = {
    bootstrapServers: cluster.bootstrapServers,
    dataDir: cluster.dataDir,
    kafkaVersion: KAFKA_VERSION,
    brokers: cluster.brokers.map((b) => ({ id: b.id, pid: b.pid ?? 0, port: b.port })),
  };
  writeFileSync(stateFile, JSON.stringify(newState, null, 2) + '\n');
  console.log(`Kafka ${KAFKA_VERSION} running. Bootstrap servers: ${cluster.bootstrapServers}`);
  console.log(`  export KAFKA_BOOTSTRAP_SERVERS=${cluster.bootstrapServers}`);
  console.log(`  logs: ${cluster.dataDir}/broker-*/server.log; stop with: npm run kafka -- stop`);
}

async function cleanup(state: State): Promise<void> {
  await Promise.all(state.brokers.map((b) => terminate(b.pid, 15_000)));
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
}

async function stop(): Promise<void> {
  const state = readState();
  if (!state) {
    console.log('Kafka is not running (no .kafka/state.json).');
    return;
  }
  const live = running(state);
  console.log(live.length ? `Stopping Kafka brokers (pids ${live.map((b) => b.pid).join(', ')})...` : 'No broker was running; cleaning up.');
  await cleanup(state);
  console.log('Kafka stopped.');
}

function status(): void {
  const state = readState();
  const live = state ? running(state) : [];
  if (!state || live.length === 0) console.log('Kafka is not running.');
  else console.log(`Kafka ${state.kafkaVersion}: ${live.length}/${state.brokers.length} broker(s) up; bootstrap servers ${state.bootstrapServers}`);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { brokers: { type: 'string', default: '1' } },
});
const usage = 'usage: npm run kafka -- start [--brokers 1|3] | stop | status';
try {
  switch (positionals[0]) {
    case 'start': {
      const n = Number(values.brokers);
      if (n !== 1 && n !== 3) throw new Error(`--brokers must be 1 or 3\n${usage}`);
      await start(n);
      break;
    }
    case 'stop':
      await stop();
      break;
    case 'status':
      status();
      break;
    default:
      console.error(usage);
      process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
