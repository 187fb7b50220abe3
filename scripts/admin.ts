/**
 * Operator commands, run on the server (they use DATABASE_URL / PGLITE_DIR like the app):
 *   npm run admin -- reset-2fa <email>   remove a user's 2FA (factors, recovery codes, remembered
 *                                        devices), end their sessions, email them; audited as "operator"
 * For an admin who lost their second factor and has no other admin to help. Anyone who can run this
 * already controls the server, so it asks for no password; the audit log records it.
 */
import os from "node:os";
import { operatorReset2fa } from "@/lib/admin/remove-mfa";
import { closeDb, getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const USAGE = "Usage: npm run admin -- reset-2fa <email>";

async function main(argv: string[]) {
  const [command, ...args] = argv;
  if (command === "reset-2fa") {
    if (args.length !== 1 || !args[0]!.includes("@")) throw new AppError("bad_request", USAGE);
    const result = await operatorReset2fa(await getDb(), args[0]!, { operator: `${os.userInfo().username}@${os.hostname()}` });
    console.log(
      `2FA reset for ${result.email} (${result.role}): removed ${result.factors} factor(s), ${result.recoveryCodes} recovery code(s), ` +
        `${result.rememberedDevices} remembered device(s); all sessions ended.`,
    );
    console.log(result.emailed ? "The user was notified by email." : "Warning: the notification email could not be sent.");
    console.log("They can now sign in with their password and set up 2FA again.");
    return;
  }
  throw new AppError("bad_request", command && command !== "help" && command !== "--help" ? `Unknown command "${command}".\n${USAGE}` : USAGE);
}

main(process.argv.slice(2))
  .then(() => closeDb())
  .catch(async (error) => {
    console.error(error instanceof AppError ? error.message : `Failed: ${(error as Error)?.message ?? error}`);
    await closeDb().catch(() => {});
    process.exit(1);
  });
