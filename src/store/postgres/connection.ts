/**
 * From a `postgres://` URL to a pool configuration. `?schema=NAME` puts every table in that schema (created
 * by `migrate()`), so several Tributary instances — or parallel tests — can share one database.
 */
import pg from 'pg';
import { redactUrl } from '../../url-display.js';

export interface PostgresTarget {
  config: pg.PoolConfig;
  /** Where the server is, for messages: `host:port`. */
  address: string;
  /** How long a connection attempt may take (ms); 0 waits as long as the network does. */
  connectTimeoutMs: number;
  /** How that came about, for messages: `connect_timeout=N`, or the default. */
  connectTimeoutSource: string;
  /** The schema named by `?schema=`, else undefined (the server's search_path decides, usually `public`). */
  schema?: string;
  /** The URL without its password, for messages. */
  redactedUrl: string;
}

/** How long to wait for a server to answer a connection, unless the URL's `connect_timeout` says. */
const DEFAULT_CONNECT_TIMEOUT_S = 10;
/** How long one statement may run, unless the URL's `statement_timeout` (ms) says; migrations lift it. */
const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;

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
  const { connectTimeoutMs, connectTimeoutSource } = connectTimeout(url, redactedUrl);
  // Server-side, so a statement stuck behind a lock (or a server too busy to run it) ends in an error;
  // node-postgres reads `statement_timeout` (ms) from the URL too, which then wins.
  if (!url.searchParams.has('statement_timeout'))
    url.searchParams.set('statement_timeout', String(DEFAULT_STATEMENT_TIMEOUT_MS));
  // Startup options rather than SETs after connecting: every pooled connection gets them for free.
  // No JIT: the store's queries are short lookups, and where statistics are missing (autovacuum off, a
  // table that just grew) a misestimated cost would make the server compile each commit's queries.
  const options = [url.searchParams.get('options'), '-c jit=off'];
  if (schema) options.push(`-c search_path=${schema}`);
  url.searchParams.set('options', options.filter(Boolean).join(' '));
  return {
    config: {
      connectionString: url.href,
      types,
      // node-postgres's pool would apply connectionTimeoutMillis to waiting for a free connection too; the
      // timeout is for reaching the server, so it goes to each client alone.
      Client: clientWithTimeout(connectTimeoutMs),
      // A server that vanishes without a word (a dropped route) is noticed on idle connections too.
      keepAlive: true,
    },
    address: `${url.hostname || 'localhost'}:${url.port || '5432'}`,
    connectTimeoutMs,
    connectTimeoutSource,
    schema,
    redactedUrl,
  };
}

/** libpq's `connect_timeout` (seconds; 0 waits indefinitely), else DEFAULT_CONNECT_TIMEOUT_S. */
function connectTimeout(
  url: URL,
  redactedUrl: string,
): { connectTimeoutMs: number; connectTimeoutSource: string } {
  const given = url.searchParams.get('connect_timeout');
  if (given === null)
    return {
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_S * 1000,
      connectTimeoutSource: 'the default; set connect_timeout=SECONDS in the URL',
    };
  if (!/^\d+$/.test(given))
    throw new Error(
      `cannot open store ${redactedUrl}: connect_timeout must be a whole number of seconds, not "${given}"`,
    );
  return { connectTimeoutMs: Number(given) * 1000, connectTimeoutSource: `connect_timeout=${given}` };
}

function clientWithTimeout(connectionTimeoutMillis: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis });
    }
  };
}

/**
 * `error` told as what went wrong reaching the server, when that is what it is: the connect timeout ran
 * out (node-postgres says only "timeout expired"), or nothing listens there.
 */
export function connectionFailure(error: unknown, target: PostgresTarget): string | undefined {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (message === 'timeout expired' || message === 'Connection terminated due to connection timeout')
    return `no answer from ${target.address} within ${target.connectTimeoutMs / 1000} s (${target.connectTimeoutSource})`;
  if (code === 'ECONNREFUSED') return `nothing accepts connections at ${target.address} (connection refused)`;
  return undefined;
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
