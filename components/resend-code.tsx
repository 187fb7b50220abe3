"use client";
/**
 * "Send a new code" with the server's cooldown shown as it runs: the button stays disabled while a
 * visible countdown ticks, and when it reaches zero a polite live region says the button works again
 * (the seconds themselves are not announced). The server enforces the cooldown either way.
 */
import { useEffect, useId, useState } from "react";
import { SubmitButton } from "./form";

/** The moment (epoch ms) a cooldown of `seconds`, reported now, ends; null when there is none. */
export function cooldownEnd(seconds: number | undefined): number | null {
  return seconds && seconds > 0 ? Date.now() + seconds * 1000 : null;
}

/** Whole seconds left until `end` (0 when there is no cooldown), re-rendering as they pass. */
export function useSecondsLeft(end: number | null) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (end === null) return;
    const tick = () => setNow(Date.now());
    const timer = setInterval(tick, 250);
    const first = setTimeout(tick, 0);
    return () => {
      clearInterval(timer);
      clearTimeout(first);
    };
  }, [end]);
  return end === null ? 0 : Math.max(0, Math.ceil((end - now) / 1000));
}

export function ResendButton({
  cooldownUntil,
  disabled = false,
  children = "Send a new code",
  tone = "secondary",
}: {
  cooldownUntil: number | null;
  disabled?: boolean;
  children?: React.ReactNode;
  tone?: "primary" | "secondary";
}) {
  const left = useSecondsLeft(cooldownUntil);
  const hintId = useId();
  const waiting = left > 0;
  return (
    <>
      <SubmitButton tone={tone} pendingText="Sending…" disabled={disabled || waiting} aria-describedby={waiting ? hintId : undefined}>
        {children}
      </SubmitButton>
      {waiting && (
        <span id={hintId} data-testid="resend-countdown" className="text-slate-600 dark:text-slate-400">
          You can ask for a new code in {left} second{left === 1 ? "" : "s"}.
        </span>
      )}
      <span role="status" data-testid="resend-ready" className="text-slate-600 empty:hidden dark:text-slate-400">
        {cooldownUntil !== null && !waiting ? "You can ask for a new code now." : ""}
      </span>
    </>
  );
}
