export { loadTheme, ThemeError } from './load.js';
export { BUILT_IN_THEMES, type BuiltInThemeName, type Theme } from './theme.js';
