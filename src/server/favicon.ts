/**
 * `/favicon.ico`: a 16×16 icon drawn here (three streams joining, on the accent colour), written as an ICO
 * holding one 32-bit BMP, so the build needs no binary file and no image tool.
 */

/** `#` the stream, `.` the background square; the corners stay transparent (rounded). */
const ART = [
  '  ............  ',
  ' .............. ',
  '..#.....#.....#.',
  '..##....#....##.',
  '...##...#...##..',
  '....##..#..##...',
  '.....##.#.##....',
  '......#####.....',
  '.......###......',
  '........#.......',
  '........#.......',
  '.......###......',
  '......#####.....',
  '.....#######....',
  ' .............. ',
  '  ............  ',
];
/** BGRA: the link blue of the stylesheet, and white. */
const COLOURS: Record<string, number[]> = { '.': [0xd0, 0x57, 0x0b, 0xff], '#': [0xff, 0xff, 0xff, 0xff] };

function icon(): Buffer {
  const size = ART.length;
  const pixels = Buffer.alloc(size * size * 4);
  // BMP rows run bottom to top.
  for (const [y, row] of ART.entries()) {
    for (const [x, c] of [...row].entries())
      pixels.set(COLOURS[c] ?? [0, 0, 0, 0], ((size - 1 - y) * size + x) * 4);
  }
  const mask = Buffer.alloc(size * 4); // 1 bit a pixel, rows padded to 4 bytes; all 0: alpha decides
  const bitmap = Buffer.alloc(40);
  bitmap.writeUInt32LE(40, 0); // BITMAPINFOHEADER size
  bitmap.writeInt32LE(size, 4);
  bitmap.writeInt32LE(size * 2, 8); // colour rows and mask rows
  bitmap.writeUInt16LE(1, 12); // planes
  bitmap.writeUInt16LE(32, 14); // bits per pixel
  bitmap.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([bitmap, pixels, mask]);
  const header = Buffer.alloc(22);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(header.length, 18); // where the image starts
  return Buffer.concat([header, image]);
}

export const FAVICON = icon();

/** What crawlers may fetch: everything but search results, an endless space of pages. */
export const ROBOTS_TXT = 'User-agent: *\nDisallow: /search\n';
