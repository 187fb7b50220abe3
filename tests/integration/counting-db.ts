/**
 * A second drizzle handle on the test database whose driver counts every statement it sends, the way
 * PostgreSQL's statement log would: each query, and BEGIN + COMMIT (or ROLLBACK) for each transaction
 * or savepoint. Used to pin how many round trips a request makes (tests/integration/login-statements.test.ts).
 */
import { dbKind, getDb, type Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";

export type Counter = { db: Db; statements: string[]; reset: () => void };

type AnyFn = (...args: unknown[]) => unknown;

function counting<T extends object>(target: T, log: string[], methods: { query: string[]; tx: string[] }): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      const fn = value as AnyFn;
      if (methods.query.includes(String(prop))) {
        return (...args: unknown[]) => {
          log.push(String(args[0]).replace(/\s+/g, " ").slice(0, 120));
          return fn.apply(t, args);
        };
      }
      if (methods.tx.includes(String(prop))) {
        return (...args: unknown[]) => {
          log.push("BEGIN");
          const callback = args.find((a) => typeof a === "function") as AnyFn;
          const rest = args.filter((a) => a !== callback);
          return Promise.resolve(fn.apply(t, [...rest, (tx: object) => callback(counting(tx, log, methods))])).finally(() =>
            log.push("COMMIT"),
          );
        };
      }
      return fn.bind(t);
    },
  });
}

export async function countingDb(): Promise<Counter> {
  const base = (await getDb()) as Db & { $client: object };
  const statements: string[] = [];
  let db: Db;
  if ((await dbKind()) === "pglite") {
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = counting(base.$client, statements, { query: ["query", "exec"], tx: ["transaction"] });
    db = drizzle({ client: client as never, schema }) as unknown as Db;
  } else {
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = counting(base.$client, statements, { query: ["unsafe"], tx: ["begin", "savepoint"] });
    db = drizzle({ client: client as never, schema }) as unknown as Db;
  }
  return { db, statements, reset: () => statements.splice(0) };
}
