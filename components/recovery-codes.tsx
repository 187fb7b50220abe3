"use client";
import { useId, useRef, useState } from "react";
import { buttonClass } from "@/components/styles";
import type { FactorType } from "@/lib/db/schema";
import { selectContents, useCopy } from "./use-copy";

/** What the codes stand in for, in the person's own terms. */
function lossText(factors: FactorType[]) {
  const app = factors.includes("totp");
  const email = factors.includes("email");
  const key = factors.includes("webauthn");
  if (key && !app && !email) return "If you lose your security key or passkey";
  if (key) return "If you cannot use your security key, your authenticator app or your email";
  if (app && email) return "If you cannot use your authenticator app or your email";
  if (email) return "If you cannot get into your email";
  return "If you lose your phone or your authenticator app";
}

/**
 * Recovery codes, shown once: one per line and never broken, Copy (saying so when the clipboard
 * refuses), Download .txt, Print (only the codes are printed), and an explicit "I have saved these".
 */
export function RecoveryCodes({
  codes,
  orgName,
  factors,
  onDone,
  doneLabel = "Continue",
  doneRef,
  headingLevel = 2,
}: {
  codes: string[];
  orgName: string;
  /** The second factors the codes back up: the wording follows them. */
  factors: FactorType[];
  onDone: () => void;
  doneLabel?: string;
  doneRef?: React.Ref<HTMLButtonElement>;
  headingLevel?: 2 | 3;
}) {
  const [saved, setSaved] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const [copied, copy] = useCopy(codes.join("\n"), () => selectContents(listRef.current));
  const titleId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const text = `Recovery codes for ${orgName}\nEach code can be used once, in place of your second factor.\n\n${codes.join("\n")}\n`;
  return (
    <section aria-labelledby={titleId} className="space-y-4" data-print-root>
      <div>
        <Heading id={titleId} className="text-lg font-semibold">
          Save your recovery codes
        </Heading>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {lossText(factors)}, each of these codes lets you sign in once. Keep them somewhere safe, like a password manager. They will not
          be shown again.
        </p>
        <p className="hidden print:block">Recovery codes for {orgName}. Each code can be used once, in place of your second factor.</p>
      </div>
      <ol
        ref={listRef}
        data-testid="recovery-codes"
        className="grid max-w-xl grid-cols-1 gap-x-6 gap-y-1 rounded-lg bg-slate-100 p-4 font-mono text-base tabular-nums sm:grid-cols-2 dark:bg-slate-800 print:bg-white"
      >
        {codes.map((c) => (
          <li key={c} className="whitespace-nowrap">
            {c}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2 print:hidden">
        <button type="button" className={buttonClass("secondary")} onClick={copy}>
          {copied === "copied" ? "Copied" : "Copy"}
        </button>
        <a
          className={buttonClass("secondary")}
          download="recovery-codes.txt"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
        >
          Download .txt
        </a>
        <button type="button" className={buttonClass("secondary")} onClick={() => window.print()}>
          Print
        </button>
      </div>
      <p role="status" data-testid="copy-status" className="text-sm empty:hidden print:hidden">
        {copied === "copied" && "The codes are on your clipboard."}
        {copied === "failed" && (
          <span className="text-amber-800 dark:text-amber-300">
            Could not copy to the clipboard. The codes are selected: press Ctrl+C (⌘C on a Mac) to copy them, or use Download or Print.
          </span>
        )}
      </p>
      <label className="flex items-center gap-2 text-sm print:hidden">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} className="h-4 w-4" />I have saved these
        recovery codes
      </label>
      <button ref={doneRef} type="button" className={`${buttonClass()} print:hidden`} disabled={!saved} onClick={onDone}>
        {doneLabel}
      </button>
    </section>
  );
}
