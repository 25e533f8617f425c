/**
 * PNG text chunks (tEXt): what a generated picture says about its source, read back by the test
 * that fails when the source changed and the picture was not regenerated.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG file');
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

function encode(c: Chunk): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(c.data.length, 0);
  head.write(c.type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), c.data])), 0);
  return Buffer.concat([head, c.data, crc]);
}

/** The PNG with `text` (keyword → Latin-1 value) as tEXt chunks after the header, replacing chunks of the same keyword. */
export function withText(png: Buffer, text: Readonly<Record<string, string>>): Buffer {
  const all = chunks(png).filter((c) => !(c.type === 'tEXt' && c.data.toString('latin1').split('\0')[0]! in text));
  const added = Object.entries(text).map(([k, v]) => ({ type: 'tEXt', data: Buffer.from(`${k}\0${v}`, 'latin1') }));
  return Buffer.concat([SIGNATURE, ...[all[0]!, ...added, ...all.slice(1)].map(encode)]);
}

/** The tEXt chunks of a PNG, keyword → value. */
export function readText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of chunks(png)) {
    if (c.type !== 'tEXt') continue;
    const s = c.data.toString('latin1');
    const nul = s.indexOf('\0');
    out[s.slice(0, nul)] = s.slice(nul + 1);
  }
  return out;
}
