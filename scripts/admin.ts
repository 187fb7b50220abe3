/**
 * Operator commands, run on the server (they use DATABASE_URL / PGLITE_DIR like the app):
 *   npm run admin -- reset-2fa <email>   remove a user's 2FA (factors, recovery codes, remembered
 *                                        devices), end their sessions, email them; audited as "operator"
 *   npm run admin -- unlock <email>      clear every sign-in lock of a user (password: account-wide and
 *                                        per browser; second factor; password confirmation); audited
 *   npm run admin -- temp-code <email> [--hours N]
 *                                        print a temporary access code (valid N hours, default 1, within
 *                                        the organisation's maximum) that replaces the second factor once;
 *                                        their factors stay; the user is emailed (not the code); audited
 * For an admin who lost their second factor, or is locked out, and has no other admin to help. Anyone who can run this
 * already controls the server, so it asks for no password; the audit log records it.
 */
import os from "node:os";
import { operatorReset2fa } from "@/lib/admin/remove-mfa";
import { operatorIssueTempCode } from "@/lib/admin/temp-codes";
import { operatorUnlock } from "@/lib/admin/unlock";
import { describeLocks } from "@/lib/auth/locks";
import { closeDb, getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const USAGE =
  "Usage: npm run admin -- reset-2fa <email>\n       npm run admin -- unlock <email>\n       npm run admin -- temp-code <email> [--hours N]";
const operator = () => `${os.userInfo().username}@${os.hostname()}`;

async function main(argv: string[]) {
  const [command, ...args] = argv;
  if (command === "reset-2fa") {
    if (args.length !== 1 || !args[0]!.includes("@")) throw new AppError("bad_request", USAGE);
    const result = await operatorReset2fa(await getDb(), args[0]!, { operator: operator() });
    console.log(
      `2FA reset for ${result.email} (${result.role}): removed ${result.factors} factor(s), ${result.recoveryCodes} recovery code(s), ` +
        `${result.rememberedDevices} remembered device(s); all sessions ended.`,
    );
    console.log(result.emailed ? "The user was notified by email." : "Warning: the notification email could not be sent.");
    console.log("They can now sign in with their password and set up 2FA again.");
    return;
  }
  if (command === "unlock") {
    if (args.length !== 1 || !args[0]!.includes("@")) throw new AppError("bad_request", USAGE);
    const result = await operatorUnlock(await getDb(), args[0]!, { operator: operator() });
    console.log(
      result.cleared.length > 0
        ? `Unlocked ${result.email} (${result.role}): cleared ${describeLocks(result.cleared)}` +
            (result.lockedBrowsers > 1 ? ` (${result.lockedBrowsers} browsers)` : "") +
            "."
        : `${result.email} (${result.role}) was not locked; any attempt counters were reset.`,
    );
    console.log("They can sign in again now.");
    return;
  }
  if (command === "temp-code") {
    const { email, hours } = tempCodeArgs(args);
    const result = await operatorIssueTempCode(await getDb(), email, { hours, operator: operator() });
    console.log(
      `Temporary access code for ${result.email} (${result.role}), valid ${result.hours} hour${result.hours === 1 ? "" : "s"}, once:`,
    );
    console.log(`\n    ${result.code}\n`);
    console.log(`It expires at ${result.expiresAt.toISOString()}. Give it to them directly (not by email); they enter it at sign-in`);
    console.log(`after their password ("Use a temporary access code from your admin"), then set up a new authenticator.`);
    console.log("They were emailed that a code was issued.");
    return;
  }
  throw new AppError(
    "bad_request",
    command && command !== "help" && command !== "--help" ? `Unknown command "${command}".\n${USAGE}` : USAGE,
  );
}

/** `<email> [--hours N]` (also `--hours=N`); anything else is a usage error. */
function tempCodeArgs(args: string[]) {
  let email: string | undefined;
  let hours: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = /^--hours=(.*)$/.exec(arg);
    if (arg === "--hours" || inline) {
      const value = inline ? inline[1] : args[++i];
      if (hours !== undefined || !value || !/^\d+$/.test(value))
        throw new AppError("bad_request", `--hours needs a whole number of hours (1 to 24).\n${USAGE}`);
      hours = Number(value);
    } else if (!email && arg.includes("@")) email = arg;
    else throw new AppError("bad_request", USAGE);
  }
  if (!email) throw new AppError("bad_request", USAGE);
  return { email, hours };
}

main(process.argv.slice(2))
  .then(() => closeDb())
  .catch(async (error) => {
    console.error(error instanceof AppError ? error.message : `Failed: ${(error as Error)?.message ?? error}`);
    await closeDb().catch(() => {});
    process.exit(1);
  });
