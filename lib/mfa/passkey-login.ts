/**
 * Signing in with a security key or passkey, on the 2FA step (S41). The account comes from the login
 * challenge; every attempt is first reserved in the budget shared by all methods (S7, S8), and every
 * refusal counts: a malformed answer, a key that is not one of this user's (unknown, or another
 * user's), a WebAuthn challenge that was not issued for this login or was used or has expired, another
 * origin or rp id, a bad signature, a counter that went backwards (also audited on its own:
 * `mfa.webauthn.counter_regressed`, a sign of a cloned key). Success completes the login challenge and
 * opens the session through completeWithFactor, like every method, moving the key's counter with a
 * conditional UPDATE in the same transaction.
 */
import { generateAuthenticationOptions, verifyAuthenticationResponse } from "@simplewebauthn/server";
import { and, eq, isNotNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { keys, retryAfter } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import type { LiveChallenge } from "@/lib/auth/challenge";
import type { Db, Executor } from "@/lib/db/client";
import { mfaFactors, webauthnCredentials } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { isMethodAllowed } from "./policy";
import {
  LOCKED_MESSAGE,
  completeWithFactor,
  failSecondFactor,
  reserveSecondFactorAttempt,
  type LoginOptions,
  type VerifiedLogin,
} from "./verify-login";
import {
  MAX_RESPONSE_CHARS,
  WEBAUTHN_TIMEOUT_MS,
  consumeWebauthnChallenge,
  counterWentBack,
  issueWebauthnChallenge,
  parseAuthentication,
  relyingParty,
  type ChallengeBinding,
} from "./webauthn";

export const WRONG_KEY = "That security key or passkey was not accepted. Try again, or use another method.";
export const NO_KEY = "You have no security key or passkey that can be used for this sign-in.";

export const passkeyLoginSchema = z.object({
  response: z.string({ error: WRONG_KEY }).max(MAX_RESPONSE_CHARS, WRONG_KEY),
});

const binding = (challenge: LiveChallenge): ChallengeBinding => ({
  userId: challenge.user.id,
  orgId: challenge.user.orgId,
  purpose: "login",
  loginChallengeId: challenge.challenge.id,
});

/** The user's keys that count for this login (confirmed, and keys allowed for their role). */
async function usableKeys(db: Executor, challenge: LiveChallenge) {
  if (!isMethodAllowed(challenge.org, "webauthn", challenge.user.role)) return [];
  return db
    .select({ credential: webauthnCredentials, name: mfaFactors.name })
    .from(webauthnCredentials)
    .innerJoin(mfaFactors, eq(mfaFactors.id, webauthnCredentials.factorId))
    .where(
      and(
        eq(webauthnCredentials.userId, challenge.user.id),
        eq(mfaFactors.userId, challenge.user.id),
        eq(mfaFactors.type, "webauthn"),
        isNotNull(mfaFactors.confirmedAt),
      ),
    );
}

/** Whether the 2FA screen offers "Use your security key or passkey" for this login (read-only). */
export async function hasUsableKey(db: Executor, challenge: LiveChallenge) {
  return (await usableKeys(db, challenge)).length > 0;
}

/** Options for navigator.credentials.get (as JSON): a fresh challenge for this login, the user's keys. */
export async function passkeyLoginOptions(db: Db, challenge: LiveChallenge) {
  if (challenge.challenge.completedAt) throw new AppError("conflict", "This sign-in has already been completed. Please sign in again.");
  const locked = await retryAfter(db, keys.mfa(challenge.user.id));
  if (locked > 0) throw new AppError("rate_limited", LOCKED_MESSAGE(locked));
  const keysOfUser = await usableKeys(db, challenge);
  if (keysOfUser.length === 0) throw new AppError("forbidden", NO_KEY);
  const rp = relyingParty();
  const { bytes } = await issueWebauthnChallenge(db, binding(challenge));
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: bytes,
    timeout: WEBAUTHN_TIMEOUT_MS,
    userVerification: "preferred",
    allowCredentials: keysOfUser.map((k) => ({ id: k.credential.credentialId, transports: k.credential.transports as never })),
  });
}

type Refusal = "malformed" | "unknown_key" | "challenge" | "not_verified" | "counter" | "raced";

/** Checks a key's answer for this login and completes it; every refusal is counted and audited with its reason. */
export async function verifyPasskeyLogin(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof passkeyLoginSchema>,
  meta: RequestMeta,
  options: LoginOptions = {},
): Promise<VerifiedLogin> {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const refuse = (reason: Refusal) => failSecondFactor(db, challenge, "webauthn", attempt, meta, WRONG_KEY, { reason });

  const parsed = parseAuthentication(input.response);
  if (!parsed) return refuse("malformed");
  const key = (await usableKeys(db, challenge)).find((k) => k.credential.credentialId === parsed.response.id);
  // The challenge is used up whatever happens next: a second try needs a new one.
  const fresh = await consumeWebauthnChallenge(db, binding(challenge), parsed.challenge);
  if (!key) return refuse("unknown_key");
  if (!fresh) return refuse("challenge");

  const rp = relyingParty();
  const stored = key.credential.counter;
  const verification = await verifyAuthenticationResponse({
    response: parsed.response,
    expectedChallenge: parsed.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    // The counter is checked below, after the signature, so that only a genuine answer is reported as a clone.
    credential: {
      id: key.credential.credentialId,
      publicKey: new Uint8Array(Buffer.from(key.credential.publicKey, "base64url")),
      counter: 0,
    },
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) return refuse("not_verified");
  const received = verification.authenticationInfo.newCounter;
  if (counterWentBack(stored, received)) {
    await audit(db, {
      orgId: challenge.user.orgId,
      event: "mfa.webauthn.counter_regressed",
      actorUserId: challenge.user.id,
      targetUserId: challenge.user.id,
      detail: { factor: key.name, stored, received },
      meta,
    });
    return refuse("counter");
  }

  const done = await completeWithFactor(
    db,
    challenge,
    "webauthn",
    meta,
    async (tx) => {
      // Only one request may move the counter from the value this one read (two uses of one answer: one wins).
      const moved = await tx
        .update(webauthnCredentials)
        .set({ counter: received })
        .where(
          and(
            eq(webauthnCredentials.factorId, key.credential.factorId),
            eq(webauthnCredentials.counter, stored),
            or(sql`${received} = 0`, sql`${webauthnCredentials.counter} < ${received}`),
          ),
        )
        .returning({ id: webauthnCredentials.factorId });
      if (moved.length !== 1) return null;
      await tx
        .update(mfaFactors)
        .set({ lastUsedAt: sql`now()` })
        .where(eq(mfaFactors.id, key.credential.factorId));
      return { factor: key.name };
    },
    options,
  );
  if (!done) return refuse("raced");
  return { session: done.session, rememberedDevice: done.rememberedDevice };
}
