/** `tributary theme export DIR`: a built-in theme written out as files, the starting point of one's own. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { themeReadme } from './context-doc.js';
import { BUILT_IN_THEMES, type BuiltInThemeName, templateFile } from './theme.js';

/** Writes `from`'s templates, stylesheet and README.md into `dir`; returns the files' names. Refuses to
 * overwrite any file unless `force`, naming them all. */
export function exportTheme(dir: string, from: BuiltInThemeName = 'default', force = false): string[] {
  const theme = BUILT_IN_THEMES[from];
  const templates = Object.keys(theme.templates).map((name) => [templateFile(name), theme.templates[name]!]);
  const files = [
    ...templates,
    ['style.css', theme.style],
    ['README.md', themeReadme(templates.map(([file]) => file!))],
  ];
  const existing = files.map(([file]) => file!).filter((file) => existsSync(join(dir, file)));
  if (existing.length > 0 && !force)
    throw new Error(`${dir} already holds ${existing.join(', ')}: not overwriting them (--force does)`);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of files) writeFileSync(join(dir, file!), text!);
  return files.map(([file]) => file!);
}
