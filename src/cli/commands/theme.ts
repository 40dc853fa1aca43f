/** `tributary theme export DIR`: the built-in templates, stylesheet and a README of what each template
 * receives, as files to edit (`site.theme: DIR` then uses them). */

import { exportTheme } from '../../server/theme/export.js';
import { BUILT_IN_THEMES, type BuiltInThemeName } from '../../server/theme/index.js';

export function themeExportCommand(dir: string, opts: { force?: boolean; from?: string }): number {
  const from = opts.from ?? 'default';
  if (!Object.hasOwn(BUILT_IN_THEMES, from))
    throw new Error(`--from ${from}: no such built-in theme (${Object.keys(BUILT_IN_THEMES).join(', ')})`);
  const files = exportTheme(dir, from as BuiltInThemeName, opts.force === true);
  console.log(
    `wrote the ${from} theme to ${dir} (${files.length} files); set site.theme: ${dir} in the config (relative to it), ` +
      'edit what you want to change, and delete the templates you keep as they are',
  );
  return 0;
}
