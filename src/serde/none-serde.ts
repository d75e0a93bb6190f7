// The NONE format: no columns and no bytes. Keyless streams use it for keys; whatever bytes a
// record carries are ignored on read.

import { formatColumn, type Column } from '../catalog/schema.ts';
import { SerdeError, type RowSerde } from './serde.ts';

export function noneFormatProblem(columns: readonly Column[]): string | undefined {
  if (columns.length === 0) return undefined;
  return `The 'NONE' format can only be used when no columns are defined. Got: [${columns.map(formatColumn).join(', ')}]`;
}

export function createNoneSerde(columns: readonly Column[]): RowSerde {
  const problem = noneFormatProblem(columns);
  if (problem) throw new SerdeError(problem);
  return {
    columns,
    serialize: () => null,
    deserialize: () => [],
  };
}
