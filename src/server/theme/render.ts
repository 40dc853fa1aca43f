/** Pages rendered with a theme's templates. One Eta instance per theme, compiled once (themes are checked
 * first: check.ts). */
import { Eta } from 'eta/core';
import { sanitizedBody } from '../../publish/index.js';
import type { TemplateName } from '../templates.js';
import type { Theme } from './theme.js';

export type RenderPage = (name: TemplateName, data: object) => string;

/** The one way templates output feed content raw (check.ts refuses any other). */
const RAW = Object.freeze({ postHtml: sanitizedBody });
const renderers = new WeakMap<Theme, RenderPage>();

/** Renders a page template inside the layout. `data` must hold `site`, `links` and `pageTitle`. */
export function pageRenderer(theme: Theme): RenderPage {
  let render = renderers.get(theme);
  if (!render) {
    const eta = new Eta({ autoEscape: true, cache: true });
    for (const [name, source] of Object.entries(theme.templates)) eta.loadTemplate(name, source);
    render = (name, data) => {
      const it = { ...data, raw: RAW };
      return eta.render('@layout', { ...it, body: eta.render(`@${name}`, it) });
    };
    renderers.set(theme, render);
  }
  return render;
}
