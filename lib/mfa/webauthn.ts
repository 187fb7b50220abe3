/**
 * Security keys and passkeys (WebAuthn, S41), the parts shared by adding a key and signing in with one:
 * the relying party (id and origin from NEXTAUTH_URL), challenges and reading what the browser sent.
 *
 * Challenges: 32 random bytes, stored as the SHA-256 of their base64url form, bound to the user (and to
 * the login challenge when there is one), valid 5 minutes, used once: `consumeWebauthnChallenge` is one
 * DELETE … RETURNING, so of two requests carrying the same challenge one gets it. The challenge the
 * browser signed is read from its clientDataJSON; the library then checks it again, with the origin,
 * the rp id, the user-presence flag and the signature. Attestation "none", user verification and
 * resident keys "preferred". Nothing here is secret: the private key never leaves the authenticator.
 */
import { randomBytes } from "node:crypto";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { configuredBaseUrl } from "@/lib/app-url";
import { PRODUCT_NAME, isProduction } from "@/lib/config";
import { sha256 } from "@/lib/crypto";
import type { Executor } from "@/lib/db/client";
import { webauthnChallenges } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

export const WEBAUTHN_CHALLENGE_SECONDS = 5 * 60;
/** How long the browser's own dialog may stay open (the challenge's lifetime). */
export const WEBAUTHN_TIMEOUT_MS = WEBAUTHN_CHALLENGE_SECONDS * 1000;
/** A registration or assertion is a few hundred bytes; anything much larger is not one. */
export const MAX_RESPONSE_CHARS = 16_000;

export type RelyingParty = { id: string; origin: string; name: string };

/**
 * The relying party: the app's public address (NEXTAUTH_URL). Its host name is the rp id, its origin
 * the only origin accepted. Outside production without NEXTAUTH_URL: http://localhost:3000.
 */
export function relyingParty(): RelyingParty {
  const configured = configuredBaseUrl();
  if (!configured && isProduction()) {
    console.error("[config] NEXTAUTH_URL is not set: security keys cannot be used");
    throw new AppError("unavailable", "Security keys are not available right now. Please contact your administrator.");
  }
  const url = new URL(configured ?? "http://localhost:3000");
  return { id: url.hostname, origin: url.origin, name: PRODUCT_NAME };
}

export type ChallengeBinding = {
  userId: string;
  orgId: string;
  purpose: "register" | "login";
  /** The login in progress (sign-in with a key, or adding one at /login/setup); null on the profile. */
  loginChallengeId: string | null;
};

/** A new random challenge for `binding` (stored as its hash; the user's expired ones are cleared). */
export async function issueWebauthnChallenge(db: Executor, binding: ChallengeBinding) {
  const bytes = new Uint8Array(randomBytes(32));
  const challenge = Buffer.from(bytes).toString("base64url");
  await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.userId, binding.userId), lte(webauthnChallenges.expiresAt, sql`now()`)));
  await db.insert(webauthnChallenges).values({
    ...binding,
    challengeHash: sha256(challenge),
    expiresAt: sql`now() + make_interval(secs => ${WEBAUTHN_CHALLENGE_SECONDS})`,
  });
  return { bytes, challenge };
}

/**
 * Uses up the challenge the browser signed, if it was issued for exactly this binding and has not
 * expired: true once, false for an unknown, replayed, expired or foreign challenge.
 */
export async function consumeWebauthnChallenge(db: Executor, binding: ChallengeBinding, challenge: string) {
  const rows = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challengeHash, sha256(challenge)),
        eq(webauthnChallenges.userId, binding.userId),
        eq(webauthnChallenges.orgId, binding.orgId),
        eq(webauthnChallenges.purpose, binding.purpose),
        binding.loginChallengeId
          ? eq(webauthnChallenges.loginChallengeId, binding.loginChallengeId)
          : isNull(webauthnChallenges.loginChallengeId),
        gt(webauthnChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: webauthnChallenges.id });
  return rows.length === 1;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const isB64 = (v: unknown, max = MAX_RESPONSE_CHARS): v is string =>
  typeof v === "string" && v.length > 0 && v.length <= max && B64URL.test(v);

/** The challenge in a clientDataJSON (base64url), or null when it is not one. */
export function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    if (!data || typeof data !== "object") return null;
    const challenge = (data as { challenge?: unknown }).challenge;
    return isB64(challenge, 200) ? challenge : null;
  } catch {
    return null;
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  if (typeof text !== "string" || text.length > MAX_RESPONSE_CHARS) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function credentialShape(json: Record<string, unknown>) {
  const response = json.response as Record<string, unknown> | undefined;
  if (json.type !== "public-key" || !isB64(json.id, 1400) || json.rawId !== json.id) return null;
  if (!response || typeof response !== "object" || !isB64(response.clientDataJSON)) return null;
  const challenge = signedChallenge(response.clientDataJSON);
  return challenge ? { response, challenge } : null;
}

/** A registration response as the browser sends it (JSON text), with the challenge it signed; null when malformed. */
export function parseRegistration(text: string) {
  const json = parseJson(text);
  const shape = json && credentialShape(json);
  if (!json || !shape || !isB64(shape.response.attestationObject)) return null;
  const transports = Array.isArray(shape.response.transports)
    ? shape.response.transports.filter((t): t is string => typeof t === "string" && t.length <= 20).slice(0, 10)
    : [];
  const parsed: RegistrationResponseJSON = {
    id: json.id as string,
    rawId: json.rawId as string,
    type: "public-key",
    clientExtensionResults: {},
    response: {
      clientDataJSON: shape.response.clientDataJSON as string,
      attestationObject: shape.response.attestationObject as string,
      transports: transports as RegistrationResponseJSON["response"]["transports"],
    },
  };
  return { response: parsed, challenge: shape.challenge };
}

/** An authentication response (JSON text), with the challenge it signed; null when malformed. */
export function parseAuthentication(text: string) {
  const json = parseJson(text);
  const shape = json && credentialShape(json);
  if (!json || !shape || !isB64(shape.response.authenticatorData) || !isB64(shape.response.signature)) return null;
  const userHandle = shape.response.userHandle;
  if (userHandle !== undefined && userHandle !== null && !isB64(userHandle, 200)) return null;
  const parsed: AuthenticationResponseJSON = {
    id: json.id as string,
    rawId: json.rawId as string,
    type: "public-key",
    clientExtensionResults: {},
    response: {
      clientDataJSON: shape.response.clientDataJSON as string,
      authenticatorData: shape.response.authenticatorData as string,
      signature: shape.response.signature as string,
      ...(typeof userHandle === "string" ? { userHandle } : {}),
    },
  };
  return { response: parsed, challenge: shape.challenge };
}

/** The counter rule (WebAuthn §7.2 step 21): when either side keeps one, it must grow. */
export function counterWentBack(stored: number, received: number) {
  return (received > 0 || stored > 0) && received <= stored;
}
