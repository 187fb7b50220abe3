"use server";
import { revalidatePath } from "next/cache";
import { userAction, type UserContext } from "@/lib/action";
import { issueTempCode, issueTempCodeSchema, revokeTempCode, revokeTempCodeSchema } from "@/lib/admin/temp-codes";
import { getDb } from "@/lib/db/client";

const actorOf = ({ user }: UserContext) => ({ id: user.id, orgId: user.orgId, sessionId: user.sessionId });
const admin = { role: "admin" as const };

/** What the admin's browser gets back, once: the code to read out, and until when it works. */
export type IssuedTempCode = { code: string; expiresAt: string; hours: number; removeFactors: boolean };

export const issueTempCodeAction = userAction(
  issueTempCodeSchema,
  async (input, ctx) => {
    const result = await issueTempCode(await getDb(), actorOf(ctx), input, ctx.meta);
    revalidatePath(`/admin/members/${input.userId}`);
    return {
      ok: true,
      data: {
        code: result.code,
        expiresAt: result.expiresAt.toISOString(),
        hours: result.hours,
        removeFactors: result.removeFactors,
      } satisfies IssuedTempCode,
    };
  },
  admin,
);

export const revokeTempCodeAction = userAction(
  revokeTempCodeSchema,
  async (input, ctx) => {
    const result = await revokeTempCode(await getDb(), actorOf(ctx), input, ctx.meta);
    revalidatePath(`/admin/members/${result.userId}`);
    return result.revoked
      ? { ok: true, message: "The code was revoked: it no longer works." }
      : { ok: false, error: "This code had already ended (used, revoked or expired)." };
  },
  admin,
);
