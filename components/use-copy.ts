"use client";
import { useState } from "react";

export type CopyResult = "idle" | "copied" | "failed";

/**
 * Copying to the clipboard, honestly: "copied" only once the browser has taken the text. Without the
 * Clipboard API (an insecure origin, an old browser) or when it refuses, `fallback` runs (select the
 * text, so the person can copy it themselves) and the result is "failed".
 */
export function useCopy(text: string, fallback?: () => void) {
  const [result, setResult] = useState<CopyResult>("idle");
  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error("No clipboard");
      await navigator.clipboard.writeText(text);
      setResult("copied");
    } catch {
      fallback?.();
      setResult("failed");
    }
  }
  return [result, copy] as const;
}

/** Selects the text of an element (for a copy the person finishes with Ctrl+C). */
export function selectContents(element: HTMLElement | null) {
  const selection = element && window.getSelection();
  if (!element || !selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}
