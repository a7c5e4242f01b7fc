/**
 * Signed, expiring survey links. The token is short enough for a URL segment: the link's id, its expiry
 * (seconds, base 36) and an HMAC-SHA256 over both; what the answer is published as (message name and
 * correlation key) is kept with the link's row, so the page trusts nothing but a valid token.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a valid token names: the link and when it stops working. */
export interface SurveyToken {
  id: string;
  expiresAt: string;
}

/** A fresh link id. */
export function newSurveyId(): string {
  return randomBytes(12).toString('base64url');
}

/** Signs a link id and expiry into a URL-safe token. */
export function signSurvey(link: SurveyToken, secret: string): string {
  const body = `${link.id}.${Math.floor(Date.parse(link.expiresAt) / 1000).toString(36)}`;
  return `${body}.${mac(body, secret)}`;
}

/** The link of a token with a valid signature (`expired` when its time has passed at `now`); null for anything else. */
export function verifySurvey(token: string, secret: string, now: Date): (SurveyToken & { expired: boolean }) | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const body = `${parts[0]}.${parts[1]}`;
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const expiresAt = parseInt(parts[1], 36) * 1000;
  if (!Number.isFinite(expiresAt)) return null;
  return { id: parts[0], expiresAt: new Date(expiresAt).toISOString(), expired: expiresAt <= now.getTime() };
}

/** The secret survey links are signed with: SVCFLOW_SURVEY_SECRET, else one generated on first use and kept in settings (every node agrees). */
export async function surveySecretOf(
  store: { users: { settingOrPut(key: string, value: string): Promise<string> } },
  configured = process.env.SVCFLOW_SURVEY_SECRET,
): Promise<string> {
  if (configured) return configured;
  return store.users.settingOrPut('survey-link-secret', randomBytes(32).toString('base64url'));
}

// helpers

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, 27);
}
