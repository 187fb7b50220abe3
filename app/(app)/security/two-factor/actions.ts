"use server";
/** Server actions of Security › Two-factor (/security/two-factor): rename, remove, new recovery codes, turn off. */
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import {
  disableMfa,
  passwordOnlySchema,
  regenerateRecoveryCodes,
  removeFactor,
  removeFactorSchema,
  renameFactor,
  renameFactorSchema,
} from "@/lib/mfa/manage";

const PAGE = "/security/two-factor";

export const renameFactorAction = userAction(renameFactorSchema, async (input, { user, meta }) => {
  await renameFactor(await getDb(), user, input, meta);
  revalidatePath(PAGE);
  return { ok: true, message: "Renamed." };
});

export const removeFactorAction = userAction<typeof removeFactorSchema, string>(removeFactorSchema, async (input, { user, meta }) => {
  const result = await removeFactor(await getDb(), user, input, meta);
  revalidatePath(PAGE);
  return { ok: true, data: result.mfaOff ? "mfa-off" : "factor-removed" };
});

export const regenerateCodesAction = userAction(passwordOnlySchema, async (input, { user, meta }) => {
  const codes = await regenerateRecoveryCodes(await getDb(), user, input, meta);
  revalidatePath(PAGE);
  return { ok: true, data: { codes } };
});

export const disableMfaAction = userAction(passwordOnlySchema, async (input, { user, meta }) => {
  await disableMfa(await getDb(), user, input, meta);
  revalidatePath(PAGE);
  return { ok: true };
});
