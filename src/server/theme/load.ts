/**
 * `site.theme`: a built-in theme's name, or a folder whose templates override the built-in ones file by
 * file. Loaded and checked whole at start (`serve`, `run`, `build`): every problem of every file is reported
 * at once with its file and line, and nothing starts with a theme that would fail at a request.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { closestMatch } from 'leven';
import { linkStylesheet, readThemeFolder } from './assets.js';
import { checkTemplate, type Problem } from './check.js';
import { BUILT_IN_THEMES, type BuiltInThemeName, type Theme, templateFile, templateName } from './theme.js';

export class ThemeError extends Error {
  override name = 'ThemeError';
}

const isBuiltIn = (name: string): name is BuiltInThemeName => Object.hasOwn(BUILT_IN_THEMES, name);
/** The theme `setting` names (absent: the default one): a built-in name, else a folder's absolute path. */
export function loadTheme(setting = 'default'): Theme {
  return isBuiltIn(setting) ? checked(BUILT_IN_THEMES[setting]) : readFolder(setting);
}

function checked(theme: Theme): Theme {
  const problems = checkTemplates(theme, () => undefined);
  if (problems.length > 0) throw themeError(theme.name, problems);
  return theme;
}

function readFolder(dir: string): Theme {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ThemeError(
      `site.theme: ${dir} is not a folder (built-in themes: ${Object.keys(BUILT_IN_THEMES).join(', ')}; ` +
        '`tributary theme export DIR` writes one to start from)',
    );
  const base = BUILT_IN_THEMES.default;
  const files = readThemeFolder(dir);
  const problems: (Problem & { file: string })[] = [...files.problems];
  const own: Record<string, string> = {};
  const names = Object.keys(base.templates).map(templateFile);
  for (const [file, source] of files.templates) {
    if (names.includes(file)) own[templateName(file)] = source;
    else {
      const near = closestMatch(file, names, { maxDistance: Math.max(2, Math.floor(file.length / 3)) });
      problems.push({
        file: join(dir, file),
        line: 1,
        message: `no built-in template is called ${file}: ${near ? `did you mean ${near}?` : `templates are ${names.join(', ')}`}`,
      });
    }
  }
  const style =
    files.style === undefined ? { css: base.style, problems: [] } : linkStylesheet(files.style, files.assets);
  problems.push(...style.problems.map((p) => ({ ...p, file: join(dir, 'style.css') })));
  const favicon = files.assets.get('favicon.ico')?.body;
  const theme: Theme = {
    name: dir,
    templates: { ...base.templates, ...own },
    style: style.css,
    assets: files.assets,
    ...(favicon && { favicon }),
  };
  problems.push(...checkTemplates(theme, (name) => (own[name] ? join(dir, templateFile(name)) : undefined)));
  if (problems.length > 0) throw themeError(dir, problems);
  return theme;
}

/** Every template of the theme checked; `fileOf` names the theme's own files, built-in ones are named so. */
function checkTemplates(theme: Theme, fileOf: (name: string) => string | undefined) {
  const templates = new Set(Object.keys(theme.templates));
  const assets = new Set(theme.assets.keys());
  return Object.entries(theme.templates).flatMap(([name, source]) =>
    checkTemplate(source, { templates, assets, isLayout: name === '@layout' }).map((p) => ({
      ...p,
      file: fileOf(name) ?? `(built-in ${templateFile(name)})`,
    })),
  );
}

function themeError(theme: string, problems: (Problem & { file: string })[]): ThemeError {
  const lines = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  return new ThemeError(
    lines.length === 1
      ? `theme: ${lines[0]}`
      : `theme ${theme} has ${lines.length} errors:\n  ${lines.join('\n  ')}`,
  );
}
