// LogTransaction of the embedded log: buffers appends and offsets in memory until commit, so an
// open or aborted transaction writes nothing and a fenced one never reaches disk.
import type { LogTransaction, ProduceRecord } from '../log.ts';
import type { GroupOffsets } from './control-journal.ts';

export interface TxnAppend {
  readonly topic: string;
  readonly records: readonly ProduceRecord[];
}

/** What the log does for a transaction; see EmbeddedLog.commitTransaction for the protocol. */
export interface TransactionCommitter {
  checkAppend(topic: string, records: readonly ProduceRecord[]): void;
  commitTransaction(appends: readonly TxnAppend[], groups: GroupOffsets): Promise<number[][]>;
}

export class EmbeddedTransaction implements LogTransaction {
  readonly transactionalId: string;
  private readonly committer: TransactionCommitter;
  private readonly appends: TxnAppend[] = [];
  private readonly groups: GroupOffsets = {};
  private state: 'open' | 'committing' | 'committed' | 'aborted' | 'fenced' = 'open';
  /** Settles when a commit in progress is decided (whatever the outcome). */
  private committing: Promise<unknown> = Promise.resolve();

  constructor(transactionalId: string, committer: TransactionCommitter) {
    this.transactionalId = transactionalId;
    this.committer = committer;
  }

  append(topic: string, records: readonly ProduceRecord[]): void {
    this.checkOpen();
    this.committer.checkAppend(topic, records);
    this.appends.push({ topic, records: [...records] });
  }

  commitOffsets(group: string, offsets: ReadonlyMap<string, number>): void {
    this.checkOpen();
    const g = (this.groups[group] ??= {});
    for (const [k, v] of offsets) g[k] = v;
  }

  async commit(): Promise<number[][]> {
    this.checkOpen();
    this.state = 'committing';
    const result = this.committer.commitTransaction(this.appends, this.groups);
    this.committing = result.then(
      () => (this.state = 'committed'),
      () => (this.state = 'aborted'),
    );
    return result;
  }

  /** Nothing was written, so aborting only drops the buffers; a no-op after fencing. */
  async abort(): Promise<void> {
    if (this.state === 'open') this.state = 'aborted';
    else if (this.state === 'committing' || this.state === 'committed') {
      throw new Error(`transaction ${this.transactionalId} is already ${this.state}`);
    }
  }

  /** A newer transaction with the same id started: this one can no longer commit. */
  async fence(): Promise<void> {
    if (this.state === 'open') this.state = 'fenced';
    await this.committing;
  }

  private checkOpen(): void {
    if (this.state === 'fenced') {
      throw new Error(`transaction ${this.transactionalId} was fenced by a newer transaction with the same id`);
    }
    if (this.state !== 'open') throw new Error(`transaction ${this.transactionalId} is ${this.state}`);
  }
}
