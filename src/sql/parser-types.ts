// Parses SQL types (`BIGINT`, `DECIMAL(4,2)`, `ARRAY<T>`, `MAP<K,V>`, `STRUCT<f T>`, custom names)
// into TypeNodes. Custom names are not resolved here.

import type { TypeNode } from './ast.ts';
import type { Cursor } from './parser-core.ts';

const PRIMITIVES: Readonly<Record<string, TypeNode & { kind: 'PrimitiveType' }>> = {
  BOOLEAN: { kind: 'PrimitiveType', name: 'BOOLEAN' },
  INT: { kind: 'PrimitiveType', name: 'INTEGER' },
  INTEGER: { kind: 'PrimitiveType', name: 'INTEGER' },
  BIGINT: { kind: 'PrimitiveType', name: 'BIGINT' },
  DOUBLE: { kind: 'PrimitiveType', name: 'DOUBLE' },
  STRING: { kind: 'PrimitiveType', name: 'STRING' },
  VARCHAR: { kind: 'PrimitiveType', name: 'STRING' },
  BYTES: { kind: 'PrimitiveType', name: 'BYTES' },
  TIMESTAMP: { kind: 'PrimitiveType', name: 'TIMESTAMP' },
  DATE: { kind: 'PrimitiveType', name: 'DATE' },
  TIME: { kind: 'PrimitiveType', name: 'TIME' },
};

export function parseTypeNode(c: Cursor): TypeNode {
  let type = parseBaseOrComposite(c);
  // The postfix `T ARRAY` form is an array of T.
  while (c.isWord('ARRAY') && !c.isOp('<', 1) && !c.isOp('[', 1)) {
    c.next();
    type = { kind: 'ArrayType', element: type };
  }
  return type;
}

function parseBaseOrComposite(c: Cursor): TypeNode {
  const start = c.peek();
  if (start.type === 'identifier' && c.isOp('<', 1)) {
    if (start.value === 'ARRAY') {
      c.next();
      c.next();
      const element = parseTypeNode(c);
      c.expectOp('>');
      return { kind: 'ArrayType', element };
    }
    if (start.value === 'MAP') {
      c.next();
      c.next();
      const key = parseTypeNode(c);
      c.expectOp(',');
      const value = parseTypeNode(c);
      c.expectOp('>');
      return { kind: 'MapType', key, value };
    }
    if (start.value === 'STRUCT') {
      c.next();
      c.next();
      const fields: { name: string; type: TypeNode }[] = [];
      if (!c.isOp('>')) {
        do {
          const name = c.identifier();
          fields.push({ name, type: parseTypeNode(c) });
        } while (c.acceptOp(','));
      }
      c.expectOp('>', ["','"]);
      return { kind: 'StructType', fields };
    }
  }
  if (!c.isIdentifier()) c.failNear();
  const nameToken = c.next();
  const name = c.identifierText(nameToken);
  const params = c.isOp('(') ? parseTypeParameters(c) : [];
  if (nameToken.type === 'identifier' && name === 'DECIMAL') {
    if (params.length === 0 || params.length > 2 || params.some((p) => p === 'STRING')) {
      c.fail(`line ${nameToken.pos.line}:${nameToken.pos.column}: DECIMAL requires precision and scale: DECIMAL(precision, scale)`, nameToken.pos);
    }
    return { kind: 'DecimalType', precision: Number(params[0]), scale: Number(params[1] ?? 0) };
  }
  // Parameters on other types (`VARCHAR(10)`) are accepted and ignored, as ksqlDB does.
  if (nameToken.type === 'identifier' && Object.hasOwn(PRIMITIVES, name)) return PRIMITIVES[name]!;
  return { kind: 'CustomType', name };
}

/** `(p, ...)` where each parameter is an integer or the word STRING. */
function parseTypeParameters(c: Cursor): string[] {
  c.expectOp('(');
  const params: string[] = [];
  do {
    const t = c.peek();
    if (t.type === 'integer' || (t.type === 'identifier' && t.value === 'STRING')) params.push(c.next().value);
    else c.failExpecting(["'STRING'", 'INTEGER_VALUE']);
  } while (c.acceptOp(','));
  c.expectOp(')', ["','"]);
  return params;
}
