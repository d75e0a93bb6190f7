// HPACK (src/server/h2/hpack.ts): RFC 7541's request examples (Appendix C.3 and C.4, the second with
// Huffman coding, each a sequence sharing one dynamic table), table eviction and size updates, the
// errors that must end a connection, and the response encoder read back by the decoder.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompressionError, encodeResponseHeaders, HpackDecoder } from '../../src/server/h2/hpack.ts';
import { huffmanDecode } from '../../src/server/h2/hpack-huffman.ts';

function decodeAll(d: HpackDecoder, hex: string): [string, string][] {
  const out: [string, string][] = [];
  d.decode(Buffer.from(hex.replaceAll(' ', ''), 'hex'), (n, v) => out.push([n, v]));
  return out;
}

const FIRST = [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']];
const SECOND = [...FIRST, ['cache-control', 'no-cache']];
const THIRD = [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']];

describe('HPACK decoder', () => {
  test('RFC 7541 C.3: requests without Huffman coding', () => {
    const d = new HpackDecoder();
    assert.deepEqual(decodeAll(d, '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'), FIRST);
    assert.deepEqual(decodeAll(d, '8286 84be 5808 6e6f 2d63 6163 6865'), SECOND);
    assert.deepEqual(decodeAll(d, '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'), THIRD);
  });

  test('RFC 7541 C.4: requests with Huffman coding', () => {
    const d = new HpackDecoder();
    assert.deepEqual(decodeAll(d, '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'), FIRST);
    assert.deepEqual(decodeAll(d, '8286 84be 5886 a8eb 1064 9cbf'), SECOND);
    assert.deepEqual(decodeAll(d, '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'), THIRD);
  });

  test('entries are evicted oldest first when the table is full', () => {
    // A 64-byte table holds one entry of name+value+32 = 54 bytes at a time.
    const d = new HpackDecoder(64);
    const add = (name: string, value: string) => Buffer.concat([Buffer.from([0x40, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
    const fields: string[] = [];
    d.decode(add('aaaaaaaaaa', 'bbbbbbbbbbbb'), (n) => fields.push(n));
    d.decode(add('cccccccccc', 'dddddddddddd'), (n) => fields.push(n));
    // Index 62 is the newest dynamic entry; 63 no longer exists.
    d.decode(Buffer.from([0x80 | 62]), (n, v) => fields.push(`${n}=${v}`));
    assert.deepEqual(fields, ['aaaaaaaaaa', 'cccccccccc', 'cccccccccc=dddddddddddd']);
    assert.throws(() => d.decode(Buffer.from([0x80 | 63]), () => {}), CompressionError);
  });

  test('a table size update may shrink the table, never grow it past the advertised size', () => {
    const d = new HpackDecoder(4096);
    decodeAll(d, '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d');
    // Size update to 0 (0x20) empties the table: index 62 is gone.
    assert.throws(() => d.decode(Buffer.from([0x20, 0x80 | 62]), () => {}), CompressionError);
    assert.throws(() => new HpackDecoder(4096).decode(Buffer.from([0x3f, 0xe2, 0x1f]), () => {}), /above the advertised/);
    assert.throws(() => new HpackDecoder().decode(Buffer.from([0x82, 0x20]), () => {}), /after a header field/);
  });

  test('malformed blocks are compression errors', () => {
    const bad = ['80', '8286 41', '8286 410f 7777', 'ff ff ff ff ff ff', '8286 41 81 ff'];
    for (const hex of bad) assert.throws(() => new HpackDecoder().decode(Buffer.from(hex.replaceAll(' ', ''), 'hex'), () => {}), CompressionError, hex);
  });
});

describe('Huffman decoding', () => {
  test('padding must be short and all ones; EOS is refused', () => {
    // "a" is 00011 (5 bits), padded with 111.
    assert.equal(huffmanDecode(Buffer.from([0b00011111]), 0, 1), 'a');
    assert.throws(() => huffmanDecode(Buffer.from([0b00011000]), 0, 1), /padding/);
    assert.throws(() => huffmanDecode(Buffer.from([0b00011111, 0xff]), 0, 2), /padding/);
    assert.throws(() => huffmanDecode(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4), /EOS/);
  });
});

describe('HPACK response encoder', () => {
  test('what it encodes decodes to the same fields', () => {
    for (const [status, headers] of [[200, { 'content-type': 'application/json' }], [404, undefined], [401, { 'www-authenticate': 'Basic realm="x"', 'content-type': 'application/json' }],
      [200, { 'x-riffle-pull-served-by': 'a'.repeat(300) }]] as const) {
      const fields: [string, string][] = [];
      new HpackDecoder().decode(encodeResponseHeaders(status, headers), (n, v) => fields.push([n, v]));
      assert.deepEqual(fields, [[':status', String(status)], ...Object.entries(headers ?? {})]);
    }
  });
});
