// Test hook for network-partition scenarios with real processes: RIFFLE_TEST_PARTITION_FILE names a
// file the harness writes; "peers" cuts this server off from its peers, "kafka" from Kafka, and
// "freeze" stops its standbys replaying (a replica falling behind), and "refuse" makes it answer
// forwarded pull queries with a 503 while it keeps heartbeating (a live peer whose reads fail).
import { readFileSync } from 'node:fs';

export interface PartitionState {
  peers: boolean;
  kafka: boolean;
  freeze: boolean;
  refuse: boolean;
}

/** Polls the file (if configured) and reports changes; returns the live state and a stop function. */
export function watchPartitionFile(onChange: (s: PartitionState) => void, everyMs = 100): { state: PartitionState; stop: () => void } {
  const state: PartitionState = { peers: false, kafka: false, freeze: false, refuse: false };
  const file = process.env.RIFFLE_TEST_PARTITION_FILE;
  if (!file) return { state, stop: () => {} };
  const t = setInterval(() => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch { /* no file: connected */ }
    const peers = /\bpeers\b/.test(text);
    const kafka = /\bkafka\b/.test(text);
    const freeze = /\bfreeze\b/.test(text);
    const refuse = /\brefuse\b/.test(text);
    if (peers === state.peers && kafka === state.kafka && freeze === state.freeze && refuse === state.refuse) return;
    state.peers = peers;
    state.kafka = kafka;
    state.freeze = freeze;
    state.refuse = refuse;
    onChange(state);
  }, everyMs);
  t.unref();
  return { state, stop: () => clearInterval(t) };
}
