/**
 * POSTs to a hub (subscribe requests, publish pings) under the same SSRF guard as feed fetches: the URL
 * passes `checkUrl`, and the connection goes through the guarded dispatcher, whose DNS lookup refuses blocked
 * addresses. No redirects are followed: a hub that moved says so in the feed it advertises.
 */
import { dispatcherFor, send } from '../fetch/http-client.js';
import { checkUrl, type FetchPolicy } from '../fetch/index.js';
import { resolvePolicy } from '../fetch/policy.js';

/** A hub's reply is a status and at most a short message: more than this is not read. */
const MAX_REPLY_BYTES = 4096;

/**
 * Sends `params` form-encoded to `hubUrl`; resolves when the hub accepted (2xx), else throws an Error naming
 * the hub and the cause.
 */
export async function postToHub(
  hubUrl: string,
  params: Record<string, string>,
  policyOverrides: Partial<FetchPolicy> = {},
): Promise<void> {
  const policy = resolvePolicy(policyOverrides);
  const check = checkUrl(hubUrl, policy.allowPrivateNetworks);
  if (!check.ok) throw new Error(`hub ${hubUrl} refused: ${check.reason}`);
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send(check.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': policy.userAgent,
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(policy.timeoutMs),
      dispatcher: dispatcherFor(!policy.allowPrivateNetworks, policy.connectTimeoutMs),
    });
  } catch (e) {
    throw new Error(`hub ${hubUrl} unreachable: ${(e as Error).message}`);
  }
  const reply = await shortText(response.body);
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw new Error(`hub ${hubUrl} answered HTTP ${response.statusCode}${reply && `: ${reply}`}`);
  }
}

async function shortText(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_REPLY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, 200).toString('utf8').trim();
}
