// Buffers that appended frames are written into before the flusher writes them to their segment.
// A commit writes megabytes at once; a fresh buffer each time costs page faults on first touch and
// external-memory pressure on the GC, so buffers come back here once their bytes are on disk.

/** Buffers larger than this are not kept (a rare huge append should not pin its memory). */
const MAX_POOLED_BYTES = 16 * 1024 * 1024;
/** Buffers kept at most (one per partition written in a commit, typically a few). */
const MAX_POOLED = 8;
/** Small chunks share a buffer of at least this size, so it serves the next larger chunk too. */
const MIN_CAPACITY = 64 * 1024;

const free: Buffer[] = [];

/** A buffer of exactly `bytes` bytes (a view of a pooled one); give it back with `releaseChunk`. */
export function takeChunk(bytes: number): Buffer {
  for (let i = free.length - 1; i >= 0; i--) {
    const b = free[i]!;
    if (b.length >= bytes) {
      free.splice(i, 1);
      return b.subarray(0, bytes);
    }
  }
  if (bytes > MAX_POOLED_BYTES) return Buffer.allocUnsafeSlow(bytes);
  return Buffer.allocUnsafeSlow(Math.max(MIN_CAPACITY, bytes)).subarray(0, bytes);
}

/** The chunk's bytes are written (nothing reads it any more): its buffer may be reused. */
export function releaseChunk(chunk: Buffer): void {
  const whole = Buffer.from(chunk.buffer, 0, chunk.buffer.byteLength);
  if (whole.length > MAX_POOLED_BYTES) return;
  if (free.length >= MAX_POOLED) {
    // Keep the larger buffers: they serve every request the smaller ones would.
    let smallest = 0;
    for (let i = 1; i < free.length; i++) if (free[i]!.length < free[smallest]!.length) smallest = i;
    if (free[smallest]!.length >= whole.length) return;
    free[smallest] = whole;
    return;
  }
  free.push(whole);
}
