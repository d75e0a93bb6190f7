// The JSON format: a row is one JSON object keyed by column name, or, unwrapped, the bare value
// of its single column. Reads with plain JSON.parse and falls back to a lossless parse only when a
// number's source text matters (DECIMAL columns, unsafe integers, numbers read as STRING).

import type { Column } from '../catalog/schema.ts';
import { SerdeError, type RowSerde } from './serde.ts';
import { compileFieldsReader, compileJsonReader, compileUnreadJsonReader, needsLosslessParse, NeedLosslessParse, type JsonReader } from './json-read.ts';
import { compileJsonObjectWriter, compileJsonWriter } from './json-write.ts';
import { JsonNumber, parseJsonLossless } from './lossless-json.ts';
import { utf8Decode, utf8Encode } from './text-bytes.ts';

export interface JsonSerdeOptions {
  /** Single-column rows as the bare value (UNWRAP_SINGLES; JSON keys with one column). */
  readonly unwrapped: boolean;
  /** "key" or "value", for error messages. */
  readonly target: 'key' | 'value';
  /** Columns nobody reads (by index): validated, but read as null where that saves an allocation. */
  readonly unread?: ReadonlySet<number>;
}

export function createJsonSerde(columns: readonly Column[], options: JsonSerdeOptions): RowSerde {
  const unwrapped = options.unwrapped && columns.length === 1;
  const target = options.target;
  const lossless = columns.some((c) => needsLosslessParse(c.type));
  const readRoot = unwrapped ? compileUnwrappedReader(columns[0]!) : compileObjectReader(columns, options.unread);
  const writeRow = unwrapped ? compileUnwrappedWriter(columns[0]!) : compileJsonObjectWriter(
    columns.map((c) => c.name),
    columns.map((c) => c.type),
  );

  /** Decodes into out[at..at + columns.length); false when the value is JSON null. */
  function read(text: string, topic: string, out: unknown[], at: number): boolean {
    if (!lossless) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw failed(target, topic, (e as Error).message, e);
      }
      try {
        return readRoot(parsed, out, at);
      } catch (e) {
        if (!(e instanceof NeedLosslessParse)) throw failed(target, topic, (e as Error).message, e);
      }
    }
    let parsed: unknown;
    try {
      parsed = parseJsonLossless(text);
    } catch (e) {
      throw failed(target, topic, (e as Error).message, e);
    }
    try {
      return readRoot(parsed, out, at);
    } catch (e) {
      throw failed(target, topic, (e as Error).message, e);
    }
  }

  const width = columns.length;
  return {
    columns,
    serialize(row) {
      if (row === null) return null;
      const text = writeRow(row);
      return text === null ? null : utf8Encode(text);
    },
    deserialize(bytes, topic) {
      if (bytes === null) return null;
      const out = new Array<unknown>(width);
      return read(utf8Decode(bytes), topic, out, 0) ? out : null;
    },
    deserializeInto(bytes, topic, row, at) {
      return bytes !== null && read(utf8Decode(bytes), topic, row, at);
    },
  };
}

function failed(target: string, topic: string, detail: string, cause: unknown): SerdeError {
  return new SerdeError(`Failed to deserialize ${target} from topic: ${topic}. ${detail}`, { cause });
}

/** Reads a parsed root into out[at..]; false when the root is JSON null (no row). */
type RootReader = (root: unknown, out: unknown[], at: number) => boolean;

function compileUnwrappedReader(column: Column): RootReader {
  const read: JsonReader = compileJsonReader(column.type, '$');
  return (root, out, at) => {
    if (root === null) return false;
    out[at] = read(root);
    return true;
  };
}

function compileObjectReader(columns: readonly Column[], unread: ReadonlySet<number> | undefined): RootReader {
  const fields = compileFieldsReader(
    columns.map((c) => c.name),
    columns.map((c, i) => (unread?.has(i) ? compileUnreadJsonReader : compileJsonReader)(c.type, '$.' + c.name)),
  );
  const schema = columns.map((c) => c.name).join(', ');
  return (root, out, at) => {
    if (root === null) return false;
    if (typeof root !== 'object' || Array.isArray(root) || root instanceof JsonNumber) {
      const source = typeof root === 'string' ? 'TextNode' : Array.isArray(root) ? 'ArrayNode' :
        typeof root === 'boolean' ? 'BooleanNode' : 'NumericNode';
      throw new Error(`Can't convert type. sourceType: ${source}, requiredType: STRUCT<${schema}>, path: $`);
    }
    fields(root as Record<string, unknown>, out, at);
    return true;
  };
}

function compileUnwrappedWriter(column: Column): (row: readonly unknown[]) => string | null {
  const write = compileJsonWriter(column.type);
  return (row) => {
    const v = row[0];
    // ksqlDB writes no bytes for an unwrapped null, not the text `null`.
    return v === null || v === undefined ? null : write(v);
  };
}
