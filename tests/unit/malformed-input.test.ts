/**
 * Every form and action input goes through a zod schema in the action wrapper (lib/action.ts). Here
 * every schema gets malformed input — empty, huge, wrong types, unicode, SQL and HTML fragments — and
 * must answer with field messages (never throw), and the wrapper must turn that into a typed result.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { publicAction } from "@/lib/action";
import { signupSchema } from "@/lib/orgs/signup";

// Hoisted by vitest above the imports: the action wrapper reads request headers.
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));

/**
 * Every module of lib/, found by itself (a new module cannot be left out): each exported zod schema
 * whose name ends in "Schema" is tested below.
 */
const modules = import.meta.glob<Record<string, unknown>>(["../../lib/**/*.ts", "!../../lib/db/**"], { eager: true });
const schemas = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter(([name, value]) => name.endsWith("Schema") && value instanceof z.ZodType)
    .map(([name, value]) => [`${file.replace("../../lib/", "").replace(/\.ts$/, "")}.${name}`, name, value as z.ZodType] as const),
);

/** The schema named in every server action of app/ ("use server" files), read from their source. */
function actionSchemaNames() {
  const root = path.resolve(import.meta.dirname, "../../app");
  const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));
  const names = new Set<string>();
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), "utf8");
    if (!source.includes('"use server"')) continue;
    for (const m of source.matchAll(/(?:publicAction|userAction|challengeAction)(?:<[^>]*>)?\(\s*([A-Za-z_]\w*)/g)) {
      if (m[1] !== "z") names.add(m[1]!); // z.object({}) inline: an action without input
    }
  }
  return [...names];
}

const junk: unknown[] = [
  undefined,
  null,
  "",
  " ",
  0,
  -1,
  1e308,
  true,
  [],
  {},
  "x".repeat(100_000),
  "\u0000\u0001\u001f",
  "Zoë 😀 𝓾𝓷𝓲𝓬𝓸𝓭𝓮 ‮",
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  { $ne: null },
  ["a", "b"],
];

describe("malformed input to every action schema", () => {
  it("found the schemas, including every one a server action uses", () => {
    expect(schemas.length).toBeGreaterThanOrEqual(20);
    const found = new Set(schemas.map(([, name]) => name));
    const used = actionSchemaNames();
    expect(used.length).toBeGreaterThanOrEqual(20);
    expect(used.filter((name) => !found.has(name))).toEqual([]);
  });

  for (const [name, , schema] of schemas) {
    it(`${name} answers junk with messages, never an exception`, () => {
      const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
      const inputs: unknown[] = [...junk, ...junk.map((j) => Object.fromEntries(shape.map((k) => [k, j])))];
      for (const input of inputs) {
        const result = schema.safeParse(input);
        if (!result.success) {
          for (const issue of result.error.issues) expect(typeof issue.message).toBe("string");
        }
      }
      // A whole form of the longest junk string never gets through.
      if (shape.length) expect(schema.safeParse(Object.fromEntries(shape.map((k) => [k, "x".repeat(100_000)]))).success).toBe(false);
    });
  }

  it("the action wrapper returns typed field errors, echoes no secret, and does not run the handler", async () => {
    const handler = vi.fn();
    const action = publicAction(signupSchema, handler);
    const form = new FormData();
    form.set("organization", "<b>x</b>");
    form.set("email", "' OR 1=1 --");
    form.set("password", "short");
    const state = await action(undefined, form);
    expect(handler).not.toHaveBeenCalled();
    expect(state.ok).toBe(false);
    expect(state.fieldErrors?.email?.[0]).toBe("Enter a valid email address.");
    expect(state.fieldErrors?.password?.[0]).toBe("Use at least 8 characters.");
    expect(state.values).toEqual({ organization: "<b>x</b>", email: "' OR 1=1 --" });
    expect(JSON.stringify(state)).not.toContain("short");
    for (const input of junk) await expect(action(undefined, input)).resolves.toMatchObject({ ok: false });
  });
});
