/** A hub written for the tests, on loopback: records what it is sent and verifies intent at the callback. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface HubRequest {
  params: URLSearchParams;
  /** For subscribe requests: whether our callback echoed the challenge. */
  verified?: boolean;
}

/** Verifies intent before accepting (so a test sees the outcome at once); calls `onPublish` on pings. */
export function startHub(onPublish: () => void = () => {}) {
  const requests: HubRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const params = new URLSearchParams(await readBody(req));
    const record: HubRequest = { params };
    requests.push(record);
    if (params.get('hub.mode') === 'subscribe') {
      const challenge = `challenge-${requests.length}`;
      const verify = new URL(params.get('hub.callback')!);
      verify.searchParams.set('hub.mode', 'subscribe');
      verify.searchParams.set('hub.topic', params.get('hub.topic')!);
      verify.searchParams.set('hub.challenge', challenge);
      verify.searchParams.set('hub.lease_seconds', params.get('hub.lease_seconds')!);
      const reply = await fetch(verify);
      record.verified = reply.status === 200 && (await reply.text()) === challenge;
    } else if (params.get('hub.mode') === 'publish') onPublish();
    res.writeHead(202).end();
  });
  const subscribes = () => requests.filter((r) => r.params.get('hub.mode') === 'subscribe');
  return { server, requests, subscribes };
}
