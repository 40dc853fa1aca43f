/** The server stage: the HTTP app, the site renderer it shares with the static export, and the export. */
export { type ExportResult, exportSite } from './export-site.js';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './headers.js';
export { exportLinks, type Links, liveLinks } from './links.js';
export { matchRoute, type Route } from './routes.js';
export { createServer, type ServerOptions } from './server.js';
export { createSite, type Resource, type Site, type SiteOptions } from './site.js';
