// The runner's JSON vocabulary: the project's lossless parser (numbers keep their lexemes, so
// `1.50` != `1.5`), with comments allowed as in ksqlDB's TestJsonMapper.

import {
  JsonNumber, parseJsonLossless, stringifyLossless as stringify, stripJsonComments, type JsonValue,
} from '../serde/lossless-json.ts';

export { JsonNumber, type JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** Removes `//` and block comments outside string literals. */
export function stripComments(text: string): string {
  return stripJsonComments(text);
}

/** Parses JSON (comments allowed) keeping every number's lexeme as a JsonNumber. */
export function parseLossless(text: string): JsonValue {
  return parseJsonLossless(text, { allowComments: true });
}

/** Prints a JsonValue back to JSON text, numbers exactly as they were read. */
export function stringifyLossless(v: JsonValue): string {
  return stringify(v);
}
