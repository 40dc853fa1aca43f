/**
 * A theme folder's files other than templates: stylesheets, images and fonts, served under
 * `/theme/<name>.<contenthash>.<ext>` (and written there by the static export). The hash in the name lets
 * them be cached for a year: an edited file gets a new name, and the pages that link it a new link.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import type { Problem } from './check.js';

export interface ThemeAsset {
  /** Where it is served and exported, from the site's root: `theme/logo.Ab3dE9xQ1z.png`. */
  path: string;
  contentType: string;
  body: Buffer;
}

/**
 * The file types a theme may hold, and what they are served as. An allow-list rather than a MIME library:
 * it is also the rule of what a theme folder may contain, and each is a type the CSP lets pages load.
 */
const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};
/** Files a theme folder may hold that are neither served nor templates: its notes (`theme export` writes README.md). */
const NOTES = /^(readme|licen[cs]e|copying)(\.[a-z]+)?$/i;
/** A theme is a handful of files: more than this is the wrong folder. */
const MAX_FILES = 500;
const MAX_BYTES = 10 * 1024 * 1024;

export interface ThemeFiles {
  /** `post.eta` → its text (top level only). */
  templates: Map<string, string>;
  /** `logo.png`, `fonts/a.woff2` (`/`-separated, relative to the folder) → the asset. */
  assets: Map<string, ThemeAsset>;
  /** `style.css`, when the folder has one. */
  style?: string;
  problems: (Problem & { file: string })[];
}

export function readThemeFolder(dir: string): ThemeFiles {
  const found: ThemeFiles = { templates: new Map(), assets: new Map(), problems: [] };
  const names = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  if (names.length > MAX_FILES)
    throw new Error(
      `the theme folder ${dir} holds ${names.length} files (at most ${MAX_FILES}): is it the right folder?`,
    );
  for (const name of names) {
    const file = name.split(sep).join('/');
    const path = join(dir, name);
    if (file.split('/').some((part) => part.startsWith('.')) || !statSync(path).isFile()) continue;
    const problem = (message: string) => found.problems.push({ file: path, line: 1, message });
    const nested = file.includes('/');
    const ext = extname(file).toLowerCase();
    if (ext === '.eta') {
      if (nested) problem('templates belong at the top of the theme folder, not in a subfolder');
      else found.templates.set(file, readFileSync(path, 'utf8'));
    } else if (file === 'style.css') {
      found.style = readFileSync(path, 'utf8');
    } else if (!nested && NOTES.test(file)) {
      // notes for the theme's author: neither served nor checked
    } else if (!TYPES[ext]) {
      problem(
        `not a template (.eta) nor a file type a theme may serve (${Object.keys(TYPES).join(' ')}): move it out of the theme folder`,
      );
    } else if (statSync(path).size > MAX_BYTES) {
      problem(`larger than ${MAX_BYTES / 1024 / 1024} MB: too large to serve with every page`);
    } else {
      found.assets.set(file, asset(file, readFileSync(path)));
    }
  }
  return found;
}

function asset(file: string, body: Buffer): ThemeAsset {
  const ext = extname(file);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  return {
    path: `theme/${file.slice(0, -ext.length)}.${hash}${ext.toLowerCase()}`,
    contentType: TYPES[ext.toLowerCase()]!,
    body,
  };
}

/**
 * The stylesheet with its `url(…)`s of theme files pointed at their hashed names, relative to `/style.css`
 * (the same place in the export); a relative `url()` naming no theme file is a problem, not a broken image.
 */
export function linkStylesheet(
  style: string,
  assets: ReadonlyMap<string, ThemeAsset>,
): { css: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const css = style.replace(
    /url\(\s*(['"]?)([^'")\s]+)\1\s*\)/g,
    (whole, quote: string, ref: string, at: number) => {
      if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(ref)) return whole;
      const file = ref.replace(/^\.\//, '').split(/[?#]/)[0]!;
      const target = assets.get(file);
      if (target) return `url(${quote}${target.path}${quote})`;
      problems.push({
        line: style.slice(0, at).split('\n').length,
        message: `url(${ref}): the theme folder has no such file`,
      });
      return whole;
    },
  );
  return { css, problems };
}
