// The metastore: streams, tables, custom types and persistent queries known to one engine.
// Mutated only by the statement executor (src/engine/statement-executor.ts), in command order.

import type { SqlType } from '../common/sql-type.ts';
import type { SourceInfo, PersistentQueryInfo } from '../engine/engine-api.ts';

export class Catalog {
  readonly #sources = new Map<string, SourceInfo>();
  readonly #types = new Map<string, SqlType>();
  /** Query id -> query, in creation order. */
  readonly #queries = new Map<string, PersistentQueryInfo>();

  source(name: string): SourceInfo | undefined {
    return this.#sources.get(name);
  }

  sources(): SourceInfo[] {
    return [...this.#sources.values()];
  }

  sourcesOnTopic(topic: string): SourceInfo[] {
    return this.sources().filter((s) => s.topic === topic);
  }

  putSource(source: SourceInfo): void {
    this.#sources.set(source.name, source);
  }

  removeSource(name: string): void {
    this.#sources.delete(name);
  }

  type(name: string): SqlType | undefined {
    return this.#types.get(name);
  }

  types(): ReadonlyMap<string, SqlType> {
    return this.#types;
  }

  putType(name: string, type: SqlType): void {
    this.#types.set(name, type);
  }

  removeType(name: string): boolean {
    return this.#types.delete(name);
  }

  query(id: string): PersistentQueryInfo | undefined {
    return this.#queries.get(id);
  }

  queries(): PersistentQueryInfo[] {
    return [...this.#queries.values()];
  }

  putQuery(query: PersistentQueryInfo): void {
    this.#queries.set(query.id, query);
  }

  removeQuery(id: string): void {
    this.#queries.delete(id);
  }

  /** Queries that write into `source`. */
  writersOf(source: string): PersistentQueryInfo[] {
    return this.queries().filter((q) => q.sinks.includes(source));
  }

  /** Queries that read from `source`. */
  readersOf(source: string): PersistentQueryInfo[] {
    return this.queries().filter((q) => q.sources.includes(source));
  }
}
