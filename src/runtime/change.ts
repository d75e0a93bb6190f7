// The unit that flows between operators inside a task: one row change with its record metadata.

import type { Header } from '../log/log.ts';
import type { Window } from '../serde/serde.ts';

export interface Change {
  /** The row in the emitting step's layout (keys first); null = the key was deleted (tables). */
  readonly row: unknown[] | null;
  /** The key values (equal to row[0..keyCount) when row is set). */
  readonly key: readonly unknown[];
  /**
   * Tables: the row this change replaces, when known (null = there was none). Undefined for
   * streams and when the previous row is not known.
   */
  readonly old: unknown[] | null | undefined;
  readonly timestamp: number;
  readonly window: Window | undefined;
  readonly headers: readonly Header[];
  /** Where the triggering input record came from. */
  readonly partition: number;
  readonly offset: number;
}

export type Emit = (c: Change) => void;
