// The built-in table functions (ksqlDB's UDTFs).

import type { TableFunction } from '../function-types.ts';
import { CUBE_EXPLODE } from './cube-explode.ts';
import { EXPLODE } from './explode.ts';

export const tableFunctions: readonly TableFunction[] = [CUBE_EXPLODE, EXPLODE];
