/**
 * Regenerates lib/auth/common-passwords.txt, the list of common passwords that new passwords may not be
 * (lib/validation.ts newPassword). Run: `npx tsx scripts/common-passwords.ts` (needs the npm registry).
 *
 * Source: the frequency-ranked `passwords` list of the npm package @zxcvbn-ts/language-common (MIT,
 * © Dan Wheeler and Dropbox, Inc., © zxcvbn-ts), itself compiled from leaked-password corpora and
 * ordered from most to least common. The package is downloaded with `npm pack` into a temporary folder
 * (it is not a dependency of the app: only the extracted file ships).
 *
 * What is kept: the first 1,000 entries, in rank order, that the length rule (8 to 128 characters)
 * would otherwise accept. Shorter ones ("123456", "qwerty") are already refused by the length rule, so
 * listing them would waste slots: this way the 1,000 most common passwords overall are all refused
 * (by length or by the list), and the list also covers the next most common long ones.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const PACKAGE = "@zxcvbn-ts/language-common@4.1.3";
const COUNT = 1000;
const OUT = path.join(import.meta.dirname, "..", "lib", "auth", "common-passwords.txt");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "common-passwords-"));
try {
  const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", dir], { encoding: "utf8" })
    .trim()
    .split("\n")
    .at(-1)!;
  execFileSync("tar", ["xzf", path.join(dir, tarball), "-C", dir]);
  const ranked = JSON.parse(fs.readFileSync(path.join(dir, "package", "src", "passwords.json"), "utf8")) as string[];
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const entry of ranked) {
    const password = entry.toLowerCase();
    const length = [...password].length;
    if (length < 8 || length > 128 || /\s/.test(password) || seen.has(password)) continue;
    seen.add(password);
    kept.push(password);
    if (kept.length === COUNT) break;
  }
  if (kept.length !== COUNT) throw new Error(`Only ${kept.length} passwords found`);
  const header = [
    `# The ${COUNT} most common passwords of 8 or more characters, most common first, lower-cased.`,
    `# Extracted by scripts/common-passwords.ts from the ranked list in ${PACKAGE} (MIT licence,`,
    "# (c) 2012-2016 Dan Wheeler and Dropbox, Inc., (c) 2021 zxcvbn-ts). Lines starting with # are comments.",
  ];
  fs.writeFileSync(OUT, [...header, ...kept, ""].join("\n"));
  console.log(`Wrote ${kept.length} passwords to ${path.relative(process.cwd(), OUT)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
