// A LogTransaction on a Kafka transactional producer. Writes are buffered and sent at commit:
// AddPartitionsToTxn + Produce, AddOffsetsToTxn + TxnOffsetCommit, EndTxn; then it waits until the
// partitions' last stable offsets pass the written records, so readers see them once commit resolves.
import type { Consumer, MessageToProduce, Producer } from '@platformatic/kafka';
import type { LogTransaction, ProduceRecord } from '../log.ts';
import type { RawKafkaClient } from './client.ts';
import { fencedError, isFencedError } from './errors.ts';
import { lastOffsets, sendChunked } from './offsets.ts';

export interface TransactionHost {
  readonly client: RawKafkaClient;
  /** Validates partitions and converts records to producer messages. */
  toMessages(topic: string, records: readonly ProduceRecord[]): Promise<MessageToProduce[]>;
  /** Resolves once every `topic:partition` in `last` has a last stable offset beyond its offset. */
  awaitVisible(last: ReadonlyMap<string, number>): Promise<void>;
  /** Committed offsets of a group (to wait until a transaction's offsets are visible). */
  committedOffsets(group: string): Promise<Map<string, number>>;
  /** The producer is in an unknown state after a failure: drop it so the next begin re-inits. */
  discardProducer(id: string, producer: Producer): void;
}

/** The library's Transaction class is not exported by name; take it from beginTransaction. */
type Txn = Awaited<ReturnType<Producer['beginTransaction']>>;

type State = 'open' | 'committing' | 'committed' | 'aborted' | 'fenced' | 'failed';

export class KafkaLogTransaction implements LogTransaction {
  readonly #id: string;
  readonly #producer: Producer;
  readonly #txn: Txn;
  readonly #host: TransactionHost;
  readonly #appends: { topic: string; records: readonly ProduceRecord[] }[] = [];
  readonly #offsets = new Map<string, Map<string, number>>();
  #state: State = 'open';
  #committing: Promise<unknown> | undefined;

  constructor(id: string, producer: Producer, txn: Txn, host: TransactionHost) {
    this.#id = id;
    this.#producer = producer;
    this.#txn = txn;
    this.#host = host;
  }

  get open(): boolean {
    return this.#state === 'open' || this.#state === 'committing';
  }

  #checkOpen(): void {
    if (this.#state === 'fenced') throw fencedError(this.#id);
    if (this.#state !== 'open') throw new Error(`Transaction ${this.#id} is already ${this.#state}`);
  }

  append(topic: string, records: readonly ProduceRecord[]): void {
    this.#checkOpen();
    this.#appends.push({ topic, records: [...records] });
  }

  commitOffsets(group: string, offsets: ReadonlyMap<string, number>): void {
    this.#checkOpen();
    const merged = this.#offsets.get(group) ?? new Map<string, number>();
    for (const [k, v] of offsets) merged.set(k, v);
    this.#offsets.set(group, merged);
  }

  /**
   * Called when a newer beginTransaction with the same id starts in this process. Nothing of an open
   * transaction reached Kafka yet, so fencing it is local; one already committing finishes first.
   */
  async fence(): Promise<void> {
    if (this.#state === 'committing') await this.#committing?.catch(() => {});
    if (this.#state !== 'open') return;
    this.#state = 'fenced';
    await this.#txn.cancel();
  }

  async commit(): Promise<number[][]> {
    this.#checkOpen();
    this.#state = 'committing';
    const work = this.#commit();
    this.#committing = work;
    return work;
  }

  async #awaitOffsetsVisible(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const seen = await this.#host.committedOffsets(group).catch(() => new Map<string, number>());
      if ([...offsets].every(([tp, o]) => seen.get(tp) === o)) return;
      if (Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async #commit(): Promise<number[][]> {
    let sentAnything = false;
    try {
      const perAppend = await Promise.all(this.#appends.map((a) => this.#host.toMessages(a.topic, a.records)));
      const messages = perAppend.flat();
      if (messages.length === 0 && this.#offsets.size === 0) {
        await this.#txn.cancel(); // an empty transaction: nothing to tell the coordinator
        this.#state = 'committed';
        return this.#appends.map(() => []);
      }
      sentAnything = true;
      let flat: number[] = [];
      if (messages.length > 0) flat = await sendChunked(messages, (chunk) => this.#txn.send({ messages: chunk }));
      for (const [group, offsets] of this.#offsets) await this.#commitGroupOffsets(group, offsets);
      await this.#txn.commit();
      if (messages.length > 0) await this.#host.awaitVisible(lastOffsets(messages, flat));
      // Transactional offsets become readable once the coordinator has written the commit markers
      // to __consumer_offsets: wait (bounded) so a read right after commit sees them, like records.
      for (const [group, offsets] of this.#offsets) await this.#awaitOffsetsVisible(group, offsets);
      this.#state = 'committed';
      let at = 0;
      return perAppend.map((m) => flat.slice(at, (at += m.length)));
    } catch (e) {
      this.#state = 'failed';
      if (sentAnything) await this.#txn.abort().catch(() => this.#txn.cancel().catch(() => {}));
      else await this.#txn.cancel().catch(() => {});
      this.#host.discardProducer(this.#id, this.#producer);
      if (isFencedError(e)) throw fencedError(this.#id, e);
      throw this.#host.client.wrap(e);
    }
  }

  async #commitGroupOffsets(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    // AddOffsetsToTxn only needs the group id; the library takes it from a consumer object.
    await this.#txn.addConsumer({ groupId: group } as unknown as Consumer);
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: null }[]>();
    for (const [key, offset] of offsets) {
      const cut = key.lastIndexOf(':');
      const topic = key.slice(0, cut);
      const list = byTopic.get(topic) ?? [];
      list.push({ partitionIndex: Number(key.slice(cut + 1)), committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: null });
      byTopic.set(topic, list);
    }
    const topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    const client = this.#host.client;
    // Generation -1 and no member id: a "simple" commit outside group membership.
    await client.retrying(async () => {
      const node = await client.coordinator(group, 'group');
      await client.call('TxnOffsetCommit', node, this.#id, group, this.#producer.producerId, this.#producer.producerEpoch, -1, '', null, topics);
    });
  }

  async abort(): Promise<void> {
    if (this.#state === 'aborted' || this.#state === 'fenced' || this.#state === 'failed') return;
    this.#checkOpen();
    this.#state = 'aborted';
    await this.#txn.cancel(); // nothing was sent: records are only buffered until commit
  }
}
