/** Sign-up: a new organisation and its first admin, in one transaction. */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { emailSchema } from "@/lib/auth/login";
import type { Db } from "@/lib/db/client";
import { organizations, users } from "@/lib/db/schema";
import { fieldError } from "@/lib/errors";
import { hashPassword, passwordSchema } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";

export const nameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "Remove control characters.");

export const signupSchema = z.object({
  organization: nameSchema,
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export async function signUp(db: Db, input: z.infer<typeof signupSchema>, meta?: RequestMeta) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (existing) throw fieldError("email", "An account with this email already exists. Sign in instead.");
    const [org] = await tx.insert(organizations).values({ name: input.organization }).returning();
    const [user] = await tx
      .insert(users)
      .values({ orgId: org!.id, email: input.email, name: input.name, passwordHash, role: "admin" })
      .returning();
    await audit(tx, { orgId: org!.id, event: "user.signup", actorUserId: user!.id, targetUserId: user!.id, meta });
    return { org: org!, user: user! };
  });
}
