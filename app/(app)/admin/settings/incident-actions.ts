"use server";
/**
 * Server actions of the 2FA policy page's extra sections (issue #17): the weekly digest settings and the
 * danger zone (incident response). Kept apart from actions.ts (the policy form) so each merges on its own.
 */
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { digestSettingsSchema, updateDigestSettings } from "@/lib/admin/digest-settings";
import { resetEveryoneMfa, resetEveryoneMfaSchema, signOutEveryone, signOutEveryoneSchema } from "@/lib/admin/incident";
import { getDb } from "@/lib/db/client";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const updateDigestSettingsAction = userAction(
  digestSettingsSchema,
  async (input, { user, meta }) => {
    const { changed } = await updateDigestSettings(await getDb(), { id: user.id, orgId: user.orgId }, input, meta);
    revalidatePath("/admin/settings");
    return { ok: true, message: changed ? "Digest settings saved." : "Nothing changed." };
  },
  { role: "admin" },
);

export const signOutEveryoneAction = userAction(
  signOutEveryoneSchema,
  async (input, { user, meta }) => {
    const r = await signOutEveryone(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, input, meta);
    revalidatePath("/", "layout");
    return {
      ok: true,
      message: `Everyone else is signed out: ${plural(r.sessions, "session")} ended, ${plural(r.rememberedDevices, "remembered browser")} forgotten, ${plural(r.pendingLogins, "sign-in")} in progress stopped. ${plural(r.emailed, "member")} will be emailed. You stay signed in here.`,
    };
  },
  { role: "admin" },
);

export const resetEveryoneMfaAction = userAction(
  resetEveryoneMfaSchema,
  async (input, { user, meta }) => {
    const r = await resetEveryoneMfa(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, input, meta);
    revalidatePath("/", "layout");
    return {
      ok: true,
      message: `Two-factor authentication removed for ${plural(r.members, "member")} (${plural(r.factors, "factor")}, ${plural(r.recoveryCodes, "recovery code")}); ${plural(r.sessions, "session")} ended. They must set it up again at their next sign-in. ${plural(r.emailed, "member")} will be emailed.${r.includesActor ? " Set up your own again now." : ""}`,
    };
  },
  { role: "admin" },
);
