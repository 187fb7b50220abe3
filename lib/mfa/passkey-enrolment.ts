/**
 * Adding a security key or passkey: on Security › Two-factor (a signed-in user) and at /login/setup
 * (a login that must enrol; the challenge is then bound to that login too). Two steps: options for the
 * browser's own dialog (a fresh challenge, the user's keys excluded), then the browser's answer,
 * verified (challenge used once, origin, rp id, signature over the attestation) and stored as an
 * mfa_factors row of type "webauthn" with its credential, in one transaction, audited, the owner
 * emailed. Like every first factor, the first key brings recovery codes (shown once).
 */
import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { completeChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import type { Db, Executor } from "@/lib/db/client";
import { mfaFactors, webauthnCredentials } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { factorName } from "@/lib/validation";
import type { MfaActor } from "./actor";
import { onFactorConfirmed } from "./factors";
import { assertNeeded, challengeActor } from "./login-enrolment";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";
import {
  MAX_RESPONSE_CHARS,
  WEBAUTHN_TIMEOUT_MS,
  consumeWebauthnChallenge,
  issueWebauthnChallenge,
  parseRegistration,
  relyingParty,
  type ChallengeBinding,
} from "./webauthn";

export const KEYS_NOT_ALLOWED = "Your organisation does not allow security keys or passkeys for your account.";
export const KEY_NOT_ADDED = "The security key could not be added. Try again, and use the dialog your browser shows.";
export const KEY_ALREADY_ADDED = "This security key or passkey is already registered.";

export const finishPasskeySchema = z.object({
  name: factorName,
  /** The browser's answer (PublicKeyCredential as JSON), checked in depth by parseRegistration. */
  response: z.string({ error: KEY_NOT_ADDED }).min(1, KEY_NOT_ADDED).max(MAX_RESPONSE_CHARS, KEY_NOT_ADDED),
});

const binding = (actor: MfaActor, loginChallengeId: string | null): ChallengeBinding => ({
  userId: actor.id,
  orgId: actor.orgId,
  purpose: "register",
  loginChallengeId,
});

async function userCredentials(db: Executor, userId: string) {
  return db
    .select({ id: webauthnCredentials.credentialId, transports: webauthnCredentials.transports })
    .from(webauthnCredentials)
    .innerJoin(mfaFactors, eq(mfaFactors.id, webauthnCredentials.factorId))
    .where(and(eq(webauthnCredentials.userId, userId), isNotNull(mfaFactors.confirmedAt)));
}

/** Options for navigator.credentials.create (as JSON): a fresh challenge, the user's own keys excluded. */
export async function startPasskeyRegistration(db: Db, actor: MfaActor, loginChallengeId: string | null = null) {
  if (!isMethodAllowed(actor.org, "webauthn", actor.role)) throw new AppError("forbidden", KEYS_NOT_ALLOWED);
  const rp = relyingParty();
  const { bytes } = await issueWebauthnChallenge(db, binding(actor, loginChallengeId));
  const existing = await userCredentials(db, actor.id);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: actor.email,
    userDisplayName: actor.name,
    userID: new Uint8Array(Buffer.from(actor.id.replace(/-/g, ""), "hex")),
    challenge: bytes,
    timeout: WEBAUTHN_TIMEOUT_MS,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as never })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

/**
 * Verifies the browser's answer and stores the key. Refused, with nothing stored: a malformed answer,
 * a challenge not issued to this user (and login) or already used or expired, another origin or rp id,
 * a bad attestation, a key registered before.
 */
export async function finishPasskeyRegistration(
  db: Db,
  actor: MfaActor,
  input: z.infer<typeof finishPasskeySchema>,
  meta?: RequestMeta,
  loginChallengeId: string | null = null,
) {
  if (!isMethodAllowed(actor.org, "webauthn", actor.role)) throw new AppError("forbidden", KEYS_NOT_ALLOWED);
  const parsed = parseRegistration(input.response);
  if (!parsed) throw new AppError("bad_request", KEY_NOT_ADDED);
  if (!(await consumeWebauthnChallenge(db, binding(actor, loginChallengeId), parsed.challenge))) {
    throw new AppError("conflict", "This request to add a key has expired or was already used. Start again.");
  }
  const rp = relyingParty();
  const verification = await verifyRegistrationResponse({
    response: parsed.response,
    expectedChallenge: parsed.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) throw new AppError("bad_request", KEY_NOT_ADDED);
  const { credential, aaguid } = verification.registrationInfo;

  const result = await db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: webauthnCredentials.factorId })
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.credentialId, credential.id));
    if (taken) throw new AppError("conflict", KEY_ALREADY_ADDED);
    const [factor] = await tx
      .insert(mfaFactors)
      .values({ userId: actor.id, orgId: actor.orgId, type: "webauthn", name: input.name, confirmedAt: sql`now()` })
      .returning({ id: mfaFactors.id });
    // The unique credential id settles two concurrent registrations of one key: the second stores nothing.
    const stored = await tx
      .insert(webauthnCredentials)
      .values({
        factorId: factor!.id,
        userId: actor.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString("base64url"),
        counter: credential.counter,
        transports: credential.transports ?? parsed.response.response.transports ?? [],
        aaguid,
      })
      .onConflictDoNothing({ target: webauthnCredentials.credentialId })
      .returning({ id: webauthnCredentials.factorId });
    if (stored.length === 0) throw new AppError("conflict", KEY_ALREADY_ADDED);
    const { first, recoveryCodes } = await onFactorConfirmed(tx, actor, { type: "webauthn", name: input.name }, meta);
    return { factorId: factor!.id, first, recoveryCodes };
  });
  await notifyUser(actor, result.first ? "mfa-enabled" : "factor-added", { factorName: input.name, type: "webauthn" });
  return result;
}

/** /login/setup: options for adding a key, for a login that must enrol (bound to that login). */
export async function startLoginPasskeyRegistration(db: Db, challenge: LiveChallenge) {
  await assertNeeded(db, challenge);
  return startPasskeyRegistration(db, challengeActor(challenge), challenge.challenge.id);
}

/** /login/setup: the key is stored and, being the second factor just used, completes the login. */
export async function finishLoginPasskeyRegistration(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof finishPasskeySchema>,
  meta: RequestMeta,
) {
  await assertNeeded(db, challenge);
  const result = await finishPasskeyRegistration(db, challengeActor(challenge), input, meta, challenge.challenge.id);
  if (!(await completeChallenge(db, challenge.challenge.id, "webauthn"))) {
    throw new AppError("conflict", "Your security key was added, but this sign-in expired. Please sign in again.");
  }
  return result;
}
