/**
 * Several app instances share one PostgreSQL: nothing about a login lives in process memory. And when
 * the database drops every connection (as in a restart), the app reconnects by itself and nothing
 * committed is lost. PostgreSQL only: PGlite is one embedded database per process by design.
 */
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { validateSession } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { currentTotp } from "@/lib/mfa/totp";
import { verifyTotpLogin } from "@/lib/mfa/verify-login";
import { requestSignup } from "@/lib/orgs/signup";
import { completeSignup } from "@/lib/orgs/signup-link";
import { PASSWORD, createUser, meta, orgWithAdmin, uniqueEmail } from "./factories";

const onPostgres = process.env.TEST_DB === "postgres";
const clients: postgres.Sql[] = [];

/** A second "app instance": its own connection pool and drizzle handle on the same database. */
function instance(applicationName = "instance-test"): Db {
  const client = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {}, connection: { application_name: applicationName } });
  clients.push(client);
  return drizzle(client, { schema }) as unknown as Db;
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
});

describe.skipIf(!onPostgres)("several app instances on one PostgreSQL (skipped on PGlite: one process per embedded database)", () => {
  it("a login started on one instance completes on another", async () => {
    const a = instance();
    const b = instance();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const started = await startTotpEnrolment(a, { ...user, org });
    await confirmTotpEnrolment(
      a,
      { ...user, org },
      { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) },
      meta,
    );

    const { token, next } = await passwordStep(a, { email: user.email, password: PASSWORD }, meta);
    expect(next).toBe("mfa");
    const challengeOnB = await findChallenge(b, token);
    // The second factor on B opens the session there, in the same statement.
    const { session } = await verifyTotpLogin(
      b,
      challengeOnB!,
      { code: await currentTotp(started.secret, Math.floor(Date.now() / 1000) + 30) },
      meta,
    );
    expect(session.userId).toBe(user.id);
    // Either instance accepts the session, and neither opens a second one from the spent challenge.
    const claims = { uid: user.id, sid: session.sessionId, ver: session.sessionVersion };
    expect((await validateSession(a, claims))?.id).toBe(user.id);
    expect((await validateSession(b, claims))?.id).toBe(user.id);
    expect(await consumeChallenge(a, token, meta)).toBeNull();
    expect(await consumeChallenge(b, token, meta)).toBeNull();
  });

  it("attempt counters are shared: failures on two instances add up to one budget", async () => {
    const a = instance();
    const b = instance();
    const email = uniqueEmail("shared");
    const tries = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => passwordStep(i % 2 ? a : b, { email, password: "wrong password" }, meta)),
    );
    const limited = tries.filter((t) => t.status === "rejected" && /Too many/.test(String((t.reason as Error).message)));
    expect(limited).toHaveLength(10);
  });

  it("recovers by itself when the database drops every connection, and keeps what was committed", async () => {
    // Its own pool, so that only its connections are dropped (other test files share this database).
    const db = instance("recovery-test");
    const email = uniqueEmail("durable");
    // Sign-up by emailed link, both steps on this instance.
    await requestSignup(
      db,
      { organization: "Durable Org", name: "Dee", email, password: PASSWORD },
      { baseUrl: "http://guardian.test", meta },
    );
    const [mail] = await db.select().from(schema.devMail).where(eq(schema.devMail.to, email));
    const { org } = await completeSignup(
      db,
      { token: /\/signup\/confirm\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!, password: PASSWORD },
      meta,
    );
    const killer = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    clients.push(killer);
    const [killed] =
      await killer`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'recovery-test'`;
    expect(killed?.terminated).toBeGreaterThanOrEqual(1);
    // The next requests reconnect on their own; at most one in-flight query may fail meanwhile.
    let rows: { id: string }[] | undefined;
    for (let attempt = 0; attempt < 5 && !rows; attempt++) {
      rows = await db
        .select({ id: schema.organizations.id })
        .from(schema.organizations)
        .where(eq(schema.organizations.id, org.id))
        .catch(() => undefined);
    }
    expect(rows).toEqual([{ id: org.id }]);
    const [count] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.users)
      .where(eq(schema.users.email, email));
    expect(count!.n).toBe(1);
  });
});

describe("database unavailable", () => {
  it("a refused connection is recognised as 'unavailable' (the app then shows its service-unavailable page)", async () => {
    const { isDatabaseUnavailable } = await import("@/lib/db/client");
    const down = postgres("postgres://postgres@127.0.0.1:1/none", { max: 1, connect_timeout: 2, onnotice: () => {} });
    clients.push(down);
    const error = await down`select 1`.catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(new Error("syntax error"))).toBe(false);
  });
});
