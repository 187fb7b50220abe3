// Totals every suite's results into the one line `npm test` ends with; a suite that left no report counts as failed.
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2];
let passed = 0,
  failed = 0,
  skipped = 0;
const lines = [];
const read = (f) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  } catch {
    return null;
  }
};

for (const f of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".step"))
  .sort()) {
  const ok = fs.readFileSync(path.join(dir, f), "utf8").trim() === "pass";
  if (ok) passed++;
  else failed++;
  lines.push(`${f.replace(".step", "")}: ${ok ? "passed" : "FAILED"}`);
}
for (const name of ["vitest-pglite", "vitest-postgres"]) {
  if (name === "vitest-postgres" && !process.env.DATABASE_URL) continue;
  const r = read(`${name}.json`);
  if (!r) {
    failed++;
    lines.push(`${name}: no report (crashed)`);
    continue;
  }
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // Failed tests, plus files that failed without a failing test (e.g. an import error): counted once each.
  const fileErrors = (r.testResults ?? []).filter(
    (t) => t.status === "failed" && !(t.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
  const bad = r.numFailedTests + fileErrors;
  passed += r.numPassedTests;
  failed += bad;
  skipped += s;
  lines.push(`${name}: ${r.numPassedTests} passed, ${bad} failed, ${s} skipped`);
}
const e2e = read("e2e.json");
if (!e2e) {
  failed++;
  lines.push("e2e: no report (crashed)");
} else {
  const st = e2e.stats;
  const bad = st.unexpected + (e2e.errors?.length ?? 0);
  passed += st.expected + st.flaky;
  failed += bad;
  skipped += st.skipped;
  lines.push(`e2e: ${st.expected + st.flaky} passed, ${bad} failed, ${st.skipped} skipped`);
}
console.log("\n" + lines.join("\n"));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
