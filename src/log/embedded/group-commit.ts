// Group commit for record appends: every append queues its frames on its partitions and asks for a
// flush; one flush cycle writes and fsyncs everything queued by then (all partitions in parallel),
// so concurrent appends share fsyncs. Knows nothing of topics or transactions.
import type { PartitionLog } from './partition-log.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export class GroupCommit {
  private dirty = new Set<PartitionLog>();
  private waiters: Waiter[] = [];
  /** True while a run() loop is live; set and cleared synchronously so no request is missed. */
  private active = false;
  private running: Promise<void> = Promise.resolve();
  /** After an I/O error the log is fail-stop: what is on disk is sorted out by the next open. */
  failure: unknown = undefined;

  /** Resolves once every frame queued on `partitions` before this call is written and fsynced. */
  flush(partitions: Iterable<PartitionLog>): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure as Error);
    for (const p of partitions) this.dirty.add(p);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      // Start on a microtask so appends issued in the same tick join the first cycle.
      if (!this.active) {
        this.active = true;
        this.running = Promise.resolve().then(() => this.run());
      }
    });
  }

  /** Waits for the current cycles to finish (used by close). */
  async idle(): Promise<void> {
    while (this.active) await this.running;
  }

  private async run(): Promise<void> {
    try {
      await this.cycles();
    } finally {
      this.active = false;
    }
  }

  private async cycles(): Promise<void> {
    while (this.waiters.length > 0) {
      const parts = [...this.dirty].filter((p) => p.hasPending());
      const waiters = this.waiters;
      this.dirty = new Set();
      this.waiters = [];
      try {
        await Promise.all(parts.map((p) => p.flushPending()));
      } catch (e) {
        this.failure = e;
        for (const w of [...waiters, ...this.waiters]) w.reject(e);
        this.waiters = [];
        return;
      }
      for (const w of waiters) w.resolve();
    }
  }
}
