/** A refusal that can be retried later carries its seconds into the form state, so the screen can count down. */
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { publicAction } from "@/lib/action";
import { AppError } from "@/lib/errors";
import { EmailCooldownError } from "@/lib/mfa/email-codes";

// Hoisted by vitest above the imports: the action wrapper reads request headers.
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));

describe("retryAfterSeconds in action results", () => {
  it("is carried from the email-code cooldown, with its message and code", async () => {
    const action = publicAction(z.object({}), async () => {
      throw new EmailCooldownError(17);
    });
    expect(await action(undefined, new FormData())).toMatchObject({
      ok: false,
      code: "rate_limited",
      retryAfterSeconds: 17,
      error: "A code was sent moments ago: use it, or ask for a new one in 17 seconds.",
    });
  });

  it("is absent from other refusals", async () => {
    const action = publicAction(z.object({}), async () => {
      throw new AppError("forbidden", "No.");
    });
    expect(await action(undefined, new FormData())).not.toHaveProperty("retryAfterSeconds");
  });
});
