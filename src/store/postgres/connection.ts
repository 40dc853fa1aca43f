/**
 * From a `postgres://` URL to a pool configuration. `?schema=NAME` puts every table in that schema (created
 * by `migrate()`), so several Tributary instances — or parallel tests — can share one database.
 */
import pg from 'pg';
import { redactUrl } from '../../url-display.js';

export interface PostgresTarget {
  config: pg.PoolConfig;
  /** The schema named by `?schema=`, else undefined (the server's search_path decides, usually `public`). */
  schema?: string;
  /** The URL without its password, for messages. */
  redactedUrl: string;
}

/** Lower-case so the name means the same quoted or not; PostgreSQL truncates identifiers at 63 bytes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** bigint columns hold epoch ms, ids and counts — all far below 2^53 — so they are read as numbers. */
const INT8_OID = 20;
const parseInt8 = (text: string) => Number(text);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function postgresTarget(databaseUrl: string): PostgresTarget {
  const redactedUrl = redactUrl(databaseUrl);
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error(`cannot open store ${redactedUrl}: not a valid PostgreSQL URL`);
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `cannot open store ${redactedUrl}: schema "${schema}" must be lower-case letters, digits and _`,
    );
  }
  url.searchParams.delete('schema');
  // Startup options rather than SETs after connecting: every pooled connection gets them for free.
  // No JIT: the store's queries are short lookups, and where statistics are missing (autovacuum off, a
  // table that just grew) a misestimated cost would make the server compile each commit's queries.
  const options = [url.searchParams.get('options'), '-c jit=off'];
  if (schema) options.push(`-c search_path=${schema}`);
  url.searchParams.set('options', options.filter(Boolean).join(' '));
  return { config: { connectionString: url.href, types }, schema, redactedUrl };
}

/** Node's codes for a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** PostgreSQL's: class 08 (connection exception), and the server shutting down or starting up (57P0x). */
const SERVER_CODES = /^(08...|57P0[1-3])$/;

/**
 * Whether `error` says the connection to the database was lost or could not be made (as opposed to a query
 * the database refused): worth reconnecting for. node-postgres reports a socket closed under it by message.
 */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  return (
    typeof message === 'string' && /^Connection terminated|not queryable|Query read timeout/.test(message)
  );
}
