/**
 * The email digest: new posts as one plain-text message in the digest format (digest.ts), sent over SMTP
 * with nodemailer. Building is pure; sending opens one connection per message (a digest is at most a few a
 * day), so no pooled transport is kept alive between passes.
 */
import { redactUrl } from '../url-display.js';
import { renderDigest } from './digest.js';
import type { FeedInput } from './feed-entry.js';

export interface MailEnvelope {
  /** `Planet <planet@example.org>` or a bare address. */
  from: string;
  to: readonly string[];
}

export interface DigestMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** The digest of `input.entries` (newest first), or undefined when there are none: nothing new, no mail. */
export function buildDigestMail(input: FeedInput, envelope: MailEnvelope): DigestMail | undefined {
  const count = input.entries.length;
  if (count === 0) return undefined;
  return {
    from: envelope.from,
    to: [...envelope.to],
    subject: `${input.site.title}: ${count} new post${count === 1 ? '' : 's'}`,
    text: renderDigest(input),
  };
}

/** Sends `mail` through the SMTP server `smtpUrl` names (`smtp://host:port`, `smtps://user:pass@host`). */
export async function sendDigestMail(smtpUrl: string, mail: DigestMail): Promise<void> {
  // Imported here, not at the top: nodemailer is 40 modules that every refresh would load for a mail most
  // passes never send.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail(mail);
  } catch (e) {
    throw new Error(
      `could not send the digest to ${mail.to.join(', ')} via ${redactUrl(smtpUrl)}: ${(e as Error).message}`,
    );
  } finally {
    transport.close();
  }
}
