/** The demo organisation "Acme Support": one admin and five agents. Idempotent. */
import { eq } from "drizzle-orm";
import { hashPassword } from "@/lib/passwords";
import type { Db } from "./client";
import { organizations, users } from "./schema";

export const DEMO_PASSWORD = "acme-demo-password";
export const DEMO_ORG = "Acme Support";
export const DEMO_USERS = [
  { email: "admin@acme.test", name: "Ada Admin", role: "admin" as const },
  { email: "agent1@acme.test", name: "Ben Agent", role: "agent" as const },
  { email: "agent2@acme.test", name: "Chloe Agent", role: "agent" as const },
  { email: "agent3@acme.test", name: "Dev Agent", role: "agent" as const },
  { email: "agent4@acme.test", name: "Eve Agent", role: "agent" as const },
  { email: "agent5@acme.test", name: "Finn Agent", role: "agent" as const },
];

export async function seedDemo(db: Db) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_USERS[0]!.email));
  if (existing) return { created: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name: DEMO_ORG }).returning();
    await tx.insert(users).values(DEMO_USERS.map((u) => ({ ...u, orgId: org!.id, passwordHash })));
  });
  return { created: true };
}
