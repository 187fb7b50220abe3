import type { Role } from "@/lib/db/schema";
import type { PolicyOrg } from "./policy";

/** Who is changing their 2FA: a signed-in user, or a user in the middle of a login challenge. */
export type MfaActor = {
  id: string;
  orgId: string;
  email: string;
  name: string;
  mfaEnforced: boolean;
  mfaResetAt?: Date | null;
  /** Which methods the user may use depends on it (lib/mfa/policy.ts isMethodAllowed). */
  role: Role;
  org: PolicyOrg & { name: string };
  /** The session making the change (kept when other sessions are ended). */
  sessionId?: string;
};
