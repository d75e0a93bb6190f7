// In-memory index of one segment: offset -> byte position of its frame, rebuilt by scanning on open.
// Offsets ascend but may have gaps (compaction), so lookups binary-search.

export class OffsetIndex {
  private offsets = new Float64Array(1024);
  private positions = new Float64Array(1024);
  private n = 0;

  get count(): number {
    return this.n;
  }

  push(offset: number, position: number): void {
    if (this.n === this.offsets.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets);
      this.positions = grow(this.positions);
    }
    this.offsets[this.n] = offset;
    this.positions[this.n] = position;
    this.n++;
  }

  offsetAt(i: number): number {
    return this.offsets[i]!;
  }

  positionAt(i: number): number {
    return this.positions[i]!;
  }

  /** Index of the first entry with offset >= `offset` (count when none). */
  seek(offset: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops entries from index `i` on (used when a torn tail is truncated). */
  truncate(i: number): void {
    this.n = Math.min(this.n, i);
  }
}
