import { endianness } from 'node:os';
import type { IndexArrays } from './units.js';

/*
 * The index cache's file: the build's typed arrays and strings as they are in memory, so
 * that opening a cached index is a read and a few copies, not a parse. After an 8-byte magic
 * and the header's length comes a JSON header naming each section and its size, then the
 * sections, each padded to four bytes: typed arrays in this machine's byte order (the header
 * says which), strings as UTF-16 (two bytes a Chinese character, against three in UTF-8,
 * and decoded by a copy). The header may carry a caller's `stamp` (what the entry was built
 * from, checked on reading). Anything that does not add up throws, and the caller rebuilds.
 */

const MAGIC = 'YZINDEX2';

type Section = [name: string, kind: 'u32' | 'u16' | 'utf16', bytes: number];

interface Header {
  order: 'LE' | 'BE';
  postings: boolean;
  stamp: string;
  sections: Section[];
}

const pad = (n: number) => (4 - (n % 4)) % 4;

export function encodeIndex(arrays: IndexArrays, stamp = ''): Uint8Array {
  const parts: Array<[string, Uint32Array | Uint16Array | string]> = [
    ['doc', arrays.doc],
    ['docUnitStart', arrays.docUnitStart],
    ['docUnits', arrays.docUnits],
    ['joined', arrays.joined],
    ['docStarts', arrays.docStarts],
  ];
  const p = arrays.postings;
  if (p) {
    parts.push(['termText', p.termText], ['termStarts', p.termStarts], ['offsets', p.offsets], ['docs', p.docs], ['fieldLength', p.fieldLength]);
  }
  const bodies = parts.map(([, value]) =>
    typeof value === 'string' ? Buffer.from(value, 'utf16le') : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  );
  const header: Header = {
    order: endianness(),
    postings: p !== null,
    stamp,
    sections: parts.map(([name, value], i) => [
      name,
      typeof value === 'string' ? 'utf16' : value instanceof Uint16Array ? 'u16' : 'u32',
      (bodies[i] as Buffer).byteLength,
    ]),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(12);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.byteLength, 8);
  const chunks: Buffer[] = [head, json, Buffer.alloc(pad(12 + json.byteLength))];
  for (const body of bodies) chunks.push(body, Buffer.alloc(pad(body.byteLength)));
  return Buffer.concat(chunks);
}

export function decodeIndex(bytes: Uint8Array): { arrays: IndexArrays; stamp: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error('not an index file of this format');
  const length = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + length)) as Header;
  if (header.order !== endianness()) throw new Error('an index file of another byte order');
  let at = 12 + length + pad(12 + length);
  const read = new Map<string, Uint32Array | Uint16Array | string>();
  for (const [name, kind, size] of header.sections) {
    const width = kind === 'u32' ? 4 : 2;
    if (at + size > buf.byteLength || size % width !== 0) throw new Error('a truncated index file');
    if (kind === 'utf16') read.set(name, buf.toString('utf16le', at, at + size));
    else {
      // Copied out: nothing read keeps the file's buffer, which a reader reuses for its next entry.
      const out = kind === 'u32' ? new Uint32Array(size / 4) : new Uint16Array(size / 2);
      new Uint8Array(out.buffer).set(buf.subarray(at, at + size));
      read.set(name, out);
    }
    at += size + pad(size);
  }
  const u32 = (name: string): Uint32Array => {
    const value = read.get(name);
    if (!(value instanceof Uint32Array)) throw new Error(`an index file without ${name}`);
    return value;
  };
  const u16 = (name: string): Uint16Array => {
    const value = read.get(name);
    if (!(value instanceof Uint16Array)) throw new Error(`an index file without ${name}`);
    return value;
  };
  const numbers = (name: string): Uint32Array | Uint16Array => {
    const value = read.get(name);
    if (typeof value === 'string' || value === undefined) throw new Error(`an index file without ${name}`);
    return value;
  };
  const text = (name: string): string => {
    const value = read.get(name);
    if (typeof value !== 'string') throw new Error(`an index file without ${name}`);
    return value;
  };
  const arrays: IndexArrays = {
    doc: u32('doc'),
    docUnitStart: u32('docUnitStart'),
    docUnits: u32('docUnits'),
    joined: u16('joined'),
    docStarts: u32('docStarts'),
    postings: header.postings
      ? { termText: text('termText'), termStarts: u32('termStarts'), offsets: u32('offsets'), docs: numbers('docs'), fieldLength: u32('fieldLength') }
      : null,
  };
  return { arrays, stamp: typeof header.stamp === 'string' ? header.stamp : '' };
}
