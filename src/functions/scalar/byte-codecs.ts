// Byte/string codecs as Java and ksqlDB's BytesUtils spell them: US-ASCII maps unmappable characters
// to '?' and bytes >= 0x80 to U+FFFD, hex is upper case in BytesUtils and lower case in ENCODE.

export type ByteEncoding = 'hex' | 'utf8' | 'ascii' | 'base64';

/** BytesUtils.Encoding.from: case-insensitive, else ksqlDB's error. */
export function byteEncoding(name: string): ByteEncoding {
  const n = name.toLowerCase();
  if (n === 'hex' || n === 'utf8' || n === 'ascii' || n === 'base64') return n;
  throw new Error(`Unknown encoding type '${name}'. Supported formats are 'hex', 'utf8', 'ascii', and 'base64'.`);
}

export function asciiBytes(s: string): Uint8Array {
  const out: number[] = [];
  // Iterating code points: a surrogate pair is one unmappable character, one '?'.
  for (const ch of s) out.push(ch.length === 1 && ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : 0x3f);
  return Uint8Array.from(out);
}

export function asciiString(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x < 0x80 ? String.fromCharCode(x) : '\ufffd';
  return s;
}

export function utf8Bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
export function utf8String(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}

/** DatatypeConverter.parseHexBinary: even length, hex digits only. */
export function hexBytes(s: string): Uint8Array {
  if (s.length % 2 !== 0) throw new Error(`hexBinary needs to be even-length: ${s}`);
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new Error(`contains illegal character for hexBinary: ${s}`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function hexString(b: Uint8Array, upper: boolean): string {
  const h = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  return upper ? h.toUpperCase() : h;
}

/** java.util.Base64 decoder: strict alphabet, padding optional only at the end. */
export function base64Bytes(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.replace(/=+$/, '').length % 4 === 1) {
    throw new Error(`Illegal base64 character or length in '${s}'`);
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export function base64String(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export function encodeBytes(b: Uint8Array, enc: ByteEncoding): string {
  switch (enc) {
    case 'hex': return hexString(b, true);
    case 'utf8': return utf8String(b);
    case 'ascii': return asciiString(b);
    case 'base64': return base64String(b);
  }
}

export function decodeString(s: string, enc: ByteEncoding): Uint8Array {
  switch (enc) {
    case 'hex': return hexBytes(s);
    case 'utf8': return utf8Bytes(s);
    case 'ascii': return asciiBytes(s);
    case 'base64': return base64Bytes(s);
  }
}
