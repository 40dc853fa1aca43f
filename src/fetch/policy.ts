/** How politely and defensively one fetch behaves; every field has a safe default. */
export interface FetchPolicy {
  /** Identifying User-Agent, so site owners can see who polls them and how to reach us. */
  userAgent: string;
  /** One overall deadline per request: DNS, connect, TLS, every redirect, headers and the whole body. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Body cap, counted after decompression. */
  maxBodyBytes: number;
  maxRedirects: number;
  /** Off by default: loopback, private, link-local (cloud metadata) and other special ranges are refused. */
  allowPrivateNetworks: boolean;
}

export const defaultFetchPolicy: FetchPolicy = Object.freeze({
  // No contact URL yet: add the project's home page here once it has a public one.
  userAgent: 'Tributary/0.1 (feed aggregator)',
  timeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  maxBodyBytes: 16 * 1024 * 1024,
  maxRedirects: 5,
  allowPrivateNetworks: false,
});

/**
 * The defaults overlaid with `overrides` (undefined fields keep their default); throws a TypeError
 * naming the field when a number is unusable.
 */
export function resolvePolicy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const policy: FetchPolicy = { ...defaultFetchPolicy, ...given };
  for (const field of ['timeoutMs', 'connectTimeoutMs', 'maxBodyBytes'] as const) {
    const value = policy[field];
    if (!Number.isFinite(value) || value <= 0)
      throw new TypeError(`fetch policy ${field} must be a positive number, got ${value}`);
  }
  if (!Number.isInteger(policy.maxRedirects) || policy.maxRedirects < 0) {
    throw new TypeError(
      `fetch policy maxRedirects must be a non-negative integer, got ${policy.maxRedirects}`,
    );
  }
  return policy;
}
