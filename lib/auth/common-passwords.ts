/**
 * The common passwords a new password may not be: lib/auth/common-passwords.txt (1,000 entries, where
 * they come from: scripts/common-passwords.ts), read once on first use. Compared lower-cased, so
 * "Password1" is refused like "password1". Server-side only (it reads a file).
 */
import fs from "node:fs";
import path from "node:path";

let list: Set<string> | undefined;

/** The file sits beside this module in the source tree; the server always runs from the project root. */
export const COMMON_PASSWORDS_FILE = path.join(process.cwd(), "lib", "auth", "common-passwords.txt");

export function commonPasswords(): ReadonlySet<string> {
  if (!list) {
    const lines = fs.readFileSync(COMMON_PASSWORDS_FILE, "utf8").split("\n");
    list = new Set(lines.filter((line) => line && !line.startsWith("#")).map((line) => line.toLowerCase()));
  }
  return list;
}

export function isCommonPassword(password: string) {
  return commonPasswords().has(password.toLowerCase());
}
