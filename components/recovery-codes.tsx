"use client";
import { useState } from "react";
import { buttonClass } from "@/components/form";

/** Recovery codes, shown once: copy, download as .txt, and an explicit "I have saved these". */
export function RecoveryCodes({ codes, orgName, onDone, doneLabel = "Continue" }: { codes: string[]; orgName: string; onDone: () => void; doneLabel?: string }) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const text = `Recovery codes for ${orgName}\nEach code can be used once, in place of your second factor.\n\n${codes.join("\n")}\n`;
  return (
    <section aria-labelledby="recovery-codes-title" className="space-y-4">
      <div>
        <h2 id="recovery-codes-title" className="text-lg font-semibold">
          Save your recovery codes
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe, like a password manager. They will not be shown again.
        </p>
      </div>
      <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-2 rounded-lg bg-slate-100 p-4 font-mono text-sm dark:bg-slate-800">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={buttonClass("secondary")}
          onClick={async () => {
            await navigator.clipboard?.writeText(codes.join("\n")).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <a className={buttonClass("secondary")} download="recovery-codes.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}>
          Download .txt
        </a>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} className="h-4 w-4" />I have saved these recovery codes
      </label>
      <button type="button" className={buttonClass()} disabled={!saved} onClick={onDone}>
        {doneLabel}
      </button>
    </section>
  );
}
