/** A theme: the templates the site renders, its stylesheet and its files. The built-in ones are here. */
import { STYLE_CSS } from '../style.js';
import { TEMPLATES } from '../templates.js';
import type { ThemeAsset } from './assets.js';
import { PLANET_THEME_CSS, PLANET_THEME_TEMPLATES } from './planet.js';

export interface Theme {
  /** `default`, `planet`, or the theme folder. */
  name: string;
  /** Every template by name (`@post`): the theme's own, and the built-in ones it does not override. */
  templates: Readonly<Record<string, string>>;
  /** `/style.css`. */
  style: string;
  /** The theme folder's other files by name (`logo.png`): served under `/theme/`. */
  assets: ReadonlyMap<string, ThemeAsset>;
  /** `/favicon.ico`, when the theme has one. */
  favicon?: Buffer;
}

export type BuiltInThemeName = 'default' | 'planet';

export const BUILT_IN_THEMES: Readonly<Record<BuiltInThemeName, Theme>> = {
  default: { name: 'default', templates: TEMPLATES, style: STYLE_CSS, assets: new Map() },
  planet: {
    name: 'planet',
    templates: { ...TEMPLATES, ...PLANET_THEME_TEMPLATES },
    style: STYLE_CSS + PLANET_THEME_CSS,
    assets: new Map(),
  },
};

/** `@post` ↔ `post.eta`: the file a theme overrides a template with. */
export const templateFile = (name: string) => `${name.slice(1)}.eta`;
export const templateName = (file: string) => `@${file.slice(0, -'.eta'.length)}`;
