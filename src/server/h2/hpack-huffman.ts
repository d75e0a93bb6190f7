// HPACK's Huffman code (RFC 7541 section 5.2, Appendix B), decoding only: Riffle sends its few
// response headers as plain literals. The code is canonical, so the table below, the code length of
// each symbol 0..256 (256 is EOS), defines it completely; the decoding tree is built from it once.

const CODE_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const EOS = 256;

/**
 * The decoding tree as a flat array: node n's children are at [2n] (bit 0) and [2n+1] (bit 1); a
 * child value >= 0 is the next node, -1 - s a decoded symbol s, and NO_CHILD a code never assigned.
 */
const NO_CHILD = -0x10000;
const tree = buildTree();

function buildTree(): Int32Array {
  const order = Array.from({ length: CODE_LENGTHS.length }, (_, s) => s).sort((a, b) => CODE_LENGTHS[a]! - CODE_LENGTHS[b]! || a - b);
  const nodes: number[] = [NO_CHILD, NO_CHILD];
  let code = 0;
  let prevLength = CODE_LENGTHS[order[0]!]!;
  for (let i = 0; i < order.length; i++) {
    const s = order[i]!;
    const length = CODE_LENGTHS[s]!;
    if (i > 0) code = (code + 1) * 2 ** (length - prevLength);
    prevLength = length;
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const slot = 2 * node + (Math.floor(code / 2 ** bit) & 1);
      if (bit === 0) {
        nodes[slot] = -1 - s;
      } else {
        if (nodes[slot] === NO_CHILD) {
          nodes[slot] = nodes.length / 2;
          nodes.push(NO_CHILD, NO_CHILD);
        }
        node = nodes[slot]!;
      }
    }
  }
  return Int32Array.from(nodes);
}

export class HuffmanError extends Error {}

/**
 * Decodes a Huffman-coded string literal. Padding must be the most significant bits of EOS (all
 * ones) and shorter than 8 bits; an encoded EOS is an error (RFC 7541 5.2).
 */
export function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  const out: number[] = [];
  let node = 0;
  let bitsSinceSymbol = 0;
  let allOnes = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      const next = tree[2 * node + b]!;
      bitsSinceSymbol++;
      allOnes &&= b === 1;
      if (next === NO_CHILD) throw new HuffmanError('invalid Huffman code');
      if (next >= 0) {
        node = next;
        continue;
      }
      const symbol = -1 - next;
      if (symbol === EOS) throw new HuffmanError('EOS in a Huffman-coded string');
      out.push(symbol);
      node = 0;
      bitsSinceSymbol = 0;
      allOnes = true;
    }
  }
  if (bitsSinceSymbol > 7 || !allOnes) throw new HuffmanError('invalid Huffman padding');
  return Buffer.from(out).toString('latin1');
}
