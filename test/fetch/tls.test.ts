/** TLS failures fail closed with a `tls` error. The certificate is made per run with openssl (skips without it). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { closeDispatchers } from '../../src/fetch/http-client.js';

function selfSignedCertificate(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore', timeout: 5000 },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const credentials = selfSignedCertificate();
let server: Server;
let url: string;

before(async () => {
  if (!credentials) return;
  server = createServer(credentials, (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss/>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
});

after(async () => {
  await closeDispatchers();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

test('a self-signed certificate is a tls failure that names the URL', {
  timeout: 8000,
  skip: !credentials && 'openssl unavailable',
}, async () => {
  const outcome = await fetchFeed(url, { policy: { allowPrivateNetworks: true, timeoutMs: 4000 } });
  assert.equal(outcome.kind, 'failed');
  assert.equal(outcome.kind === 'failed' && outcome.error, 'tls');
  assert.ok(outcome.kind === 'failed' && outcome.reason.includes(url), JSON.stringify(outcome));
  assert.match(outcome.kind === 'failed' ? outcome.reason : '', /self[- ]signed/i);
});
