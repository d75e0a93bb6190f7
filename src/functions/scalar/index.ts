// Every built-in scalar function, one family per module (ksqlDB's 129 registered UDFs).

import type { ScalarFunction } from '../function-types.ts';
import { bytesFunctions } from './bytes.ts';
import { collectionFunctions } from './collections.ts';
import { datetimeFunctions } from './datetime.ts';
import { jsonFunctions } from './json.ts';
import { lambdaFunctions } from './lambdas.ts';
import { mapFunctions } from './maps.ts';
import { maskFunctions } from './masks.ts';
import { mathFunctions } from './math.ts';
import { nullFunctions } from './nulls.ts';
import { regexFunctions } from './regex.ts';
import { stringFunctions } from './strings.ts';
import { urlFunctions } from './url.ts';

export const scalarFunctions: readonly ScalarFunction[] = [
  ...mathFunctions,
  ...stringFunctions,
  ...maskFunctions,
  ...regexFunctions,
  ...bytesFunctions,
  ...collectionFunctions,
  ...mapFunctions,
  ...lambdaFunctions,
  ...nullFunctions,
  ...jsonFunctions,
  ...datetimeFunctions,
  ...urlFunctions,
];
