// After the e2e run: the server's whole output must contain no password, TOTP secret, recovery code,
// password hash or configured secret (issue "security suite"). Prints what it found, exits 1 if anything.
import fs from "node:fs";
import path from "node:path";

const [logFile, secretsFile] = process.argv.slice(2);
const log = fs.readFileSync(logFile, "utf8");
const needles = new Set();

// Passwords typed by the e2e tests: literals filled into password fields or assigned to password variables.
for (const f of fs.readdirSync("e2e", { recursive: true })) {
  if (!String(f).endsWith(".ts")) continue;
  const src = fs.readFileSync(path.join("e2e", String(f)), "utf8");
  for (const m of src.matchAll(/Password[^\n]*?\.fill\("([^"]{8,})"\)/g)) needles.add(m[1]);
  for (const m of src.matchAll(/(?:password|PASSWORD)\w*\s*=\s*"([^"]{8,})"/g)) needles.add(m[1]);
}
// The server's own secrets for this run.
if (secretsFile && fs.existsSync(secretsFile)) {
  for (const line of fs.readFileSync(secretsFile, "utf8").split("\n")) {
    const value = line.split("=").slice(1).join("=").trim();
    if (value.length >= 16) needles.add(value);
  }
}

const findings = [];
for (const n of needles) if (log.includes(n)) findings.push(`a test password or configured secret (${n.slice(0, 3)}…)`);
const patterns = [
  [/\b[A-Z2-7]{32}\b/, "a Base32 TOTP secret"],
  [/\b[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\b/, "a recovery code"],
  [/\$argon2id\$/, "a password hash"],
  [/otpauth:\/\//, "an otpauth URI"],
  [/\/reset-password\/[A-Za-z0-9_-]{40,}/, "a password reset link"],
];
for (const [re, what] of patterns) if (re.test(log)) findings.push(what);

console.log(`server log ${logFile}: ${log.length} bytes, ${needles.size} known secrets searched`);
if (findings.length) {
  console.error(`Found in the server output: ${findings.join("; ")}`);
  process.exit(1);
}
console.log("no password, code or secret found in the server output");
