// Test helpers: terse Column and format builders for the serde tests.

import type { Column } from '../catalog/schema.ts';
import type { SqlType } from '../common/sql-type.ts';
import type { FormatName, KeyFormat, SerdeFeature, ValueFormat, WindowInfo } from './format.ts';

export function valueCol(name: string, type: SqlType): Column {
  return { name, type, namespace: 'VALUE' };
}

export function keyCol(name: string, type: SqlType): Column {
  return { name, type, namespace: 'KEY' };
}

export function valueFormat(format: FormatName, features: SerdeFeature[] = [], properties: Record<string, string> = {}): ValueFormat {
  return { info: { format, properties }, features };
}

export function keyFormat(format: FormatName, window?: WindowInfo, properties: Record<string, string> = {}): KeyFormat {
  return { info: { format, properties }, features: [], window };
}

export const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);
export const textOf = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));
