/**
 * Pictures for the sample feeds, drawn as small SVGs and served by the demo's feed server as PNG or JPEG
 * (rasterize), as real sites serve their images: over plain http from their own host, so the river shows
 * them through the image proxy, as it would a real blog's.
 */
import { Resvg } from '@resvg/resvg-js';
import jpeg from 'jpeg-js';
import { xmlEscape } from '../publish/xml.js';

export type RasterType = 'image/png' | 'image/jpeg';

/** The SVG drawn as PNG, or as JPEG (photo-like pictures: thumbnails, covers). Text uses the system's fonts. */
export function rasterize(svgText: string, type: RasterType): Buffer {
  const image = new Resvg(svgText, { font: { loadSystemFonts: true } }).render();
  if (type === 'image/png') return image.asPng();
  return jpeg.encode({ data: image.pixels, width: image.width, height: image.height }, 85).data;
}

const svg = (width: number, height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">${body}</svg>`;

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Centred, wrapped text starting at (x, y). */
function textBlock(text: string, x: number, y: number, size: number, width: number, attrs = ''): string {
  const tspans = wrap(text, width)
    .map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : size * 1.2}">${xmlEscape(line)}</tspan>`)
    .join('');
  return `<text x="${x}" y="${y}" font-size="${size}" text-anchor="middle" ${attrs}>${tspans}</text>`;
}

function stickFigure(x: number, y: number, armsUp: boolean): string {
  const arms = armsUp
    ? `M${x - 16} ${y + 8}L${x} ${y + 22}L${x + 16} ${y + 8}`
    : `M${x - 14} ${y + 44}L${x} ${y + 24}L${x + 14} ${y + 44}`;
  return `<circle cx="${x}" cy="${y}" r="11" fill="#fff"/><path d="M${x} ${y + 11}V${y + 50}M${x - 12} ${y + 78}L${x} ${y + 50}L${x + 12} ${y + 78}${arms}"/>`;
}

/** A three-panel comic strip: two stick figures per panel, the line each panel says above them. */
export function comicStrip(lines: readonly [string, string, string]): string {
  const panels = lines
    .map((line, i) => {
      const x = 10 + i * 200;
      // The speaker alternates, left and right; a short tail points from the line to their head.
      const speaker = x + (i % 2 === 0 ? 55 : 135);
      return (
        `<rect x="${x}" y="10" width="190" height="200" fill="#fff"/>` +
        textBlock(line, x + 95, 38, 14, 22, 'stroke="none" fill="#222"') +
        `<path d="M${speaker} 84v12" stroke-width="1.5"/>` +
        stickFigure(x + 55, 112, i === 2) +
        stickFigure(x + 135, 112, false)
      );
    })
    .join('');
  return svg(620, 220, `<g fill="none" stroke="#222" stroke-width="2.5">${panels}</g>`);
}

/** A video thumbnail (16:9): a coloured card with the title and a play button. */
export function videoThumbnail(title: string, hue: number): string {
  return svg(
    480,
    270,
    `<rect width="480" height="270" fill="hsl(${hue} 55% 32%)"/>` +
      `<circle cx="400" cy="200" r="36" fill="#fff" opacity=".9"/><path d="M388 182v36l32 -18z" fill="hsl(${hue} 55% 32%)"/>` +
      textBlock(title, 210, 80, 28, 22, 'fill="#fff" font-weight="bold"'),
  );
}

/** Podcast cover art: the show's name on a square. */
export function podcastCover(show: string, subtitle: string): string {
  return svg(
    300,
    300,
    `<rect width="300" height="300" fill="#1d3557"/><path d="M30 200q40 -80 80 0t80 0t80 0" fill="none" stroke="#e9c46a" stroke-width="6"/>` +
      textBlock(show, 150, 90, 34, 12, 'fill="#f1faee" font-weight="bold"') +
      textBlock(subtitle, 150, 260, 16, 30, 'fill="#a8dadc"'),
  );
}

/** A horizontal bar chart with labelled values, as review sites embed measurements. */
export function barChart(title: string, unit: string, bars: readonly (readonly [string, number])[]): string {
  const max = Math.max(...bars.map(([, v]) => v));
  const rows = bars
    .map(([label, value], i) => {
      const y = 50 + i * 34;
      const w = Math.round((value / max) * 300);
      return (
        `<text x="150" y="${y + 17}" font-size="13" text-anchor="end" fill="#333">${xmlEscape(label)}</text>` +
        `<rect x="160" y="${y}" width="${w}" height="24" fill="#2a9d8f"/>` +
        `<text x="${166 + w}" y="${y + 17}" font-size="13" fill="#333">${value} ${xmlEscape(unit)}</text>`
      );
    })
    .join('');
  const height = 60 + bars.length * 34;
  return svg(
    560,
    height,
    `<rect width="560" height="${height}" fill="#f8f9fa"/>${textBlock(title, 280, 30, 16, 60, 'font-weight="bold" fill="#222"')}${rows}`,
  );
}

/** A terminal window showing a command's output, as release announcements show one. */
export function terminal(lines: readonly string[]): string {
  const height = 44 + lines.length * 20;
  // xml:space keeps the indentation of output lines.
  const text = lines
    .map((line, i) => `<text x="16" y="${48 + i * 20}" xml:space="preserve">${xmlEscape(line)}</text>`)
    .join('');
  return svg(
    560,
    height,
    `<rect width="560" height="${height}" rx="6" fill="#1e1e1e"/><rect width="560" height="24" rx="6" fill="#3a3a3a"/>` +
      '<circle cx="16" cy="12" r="5" fill="#ff5f56"/><circle cx="32" cy="12" r="5" fill="#ffbd2e"/><circle cx="48" cy="12" r="5" fill="#27c93f"/>' +
      `<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13" fill="#d4d4d4">${text}</g>`,
  );
}
