"use client";
/**
 * A modal dialog on the native <dialog> element: open while mounted (showModal: the page behind is inert,
 * focus stays inside, the browser draws the backdrop), labelled by its title. On open the focus goes to
 * `initialFocus` (else the title); on close it returns to where it was. Escape calls `onCancel`, and
 * does nothing when there is none (a step that must be finished with its own buttons).
 */
import { useEffect, useId, useRef } from "react";
import { buttonClass } from "./styles";

export function Modal({
  title,
  children,
  onCancel,
  initialFocus,
  size = "md",
  testId,
}: {
  title: React.ReactNode;
  children: React.ReactNode;
  onCancel?: () => void;
  initialFocus?: React.RefObject<HTMLElement | null>;
  size?: "md" | "lg";
  testId?: string;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const mounted = useRef(false);
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    mounted.current = true;
    if (!dialog.open) dialog.showModal();
    (initialFocus?.current ?? titleRef.current)?.focus();
    return () => {
      mounted.current = false;
      dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, [initialFocus]);
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel?.();
      }}
      onClose={() => {
        // Closed by the browser itself (a repeated Escape cannot always be refused): treat it as
        // Cancel, or open again when the step has to be finished with its own buttons.
        if (!mounted.current) return;
        if (onCancel) onCancel();
        else dialogRef.current?.showModal();
      }}
      className={`m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] overflow-y-auto rounded-xl border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 ${
        size === "lg" ? "max-w-xl" : "max-w-md"
      }`}
    >
      <h2 id={titleId} ref={titleRef} tabIndex={-1} className="mb-3 text-lg font-semibold outline-none">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/**
 * "Are you sure?" for an action that takes effect at once: names what happens, and offers Cancel (which
 * has the focus, being the harmless choice) and the action itself, a submit button of `form`.
 */
export function ConfirmDialog({
  title,
  children,
  confirm,
  onCancel,
}: {
  title: React.ReactNode;
  children: React.ReactNode;
  /** The form whose submit button carries out the action (it stays inside the dialog). */
  confirm: React.ReactNode;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal title={title} onCancel={onCancel} initialFocus={cancelRef}>
      <div className="space-y-3 text-sm text-slate-700 dark:text-slate-300">{children}</div>
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <button ref={cancelRef} type="button" className={buttonClass("secondary")} onClick={onCancel}>
          Cancel
        </button>
        {confirm}
      </div>
    </Modal>
  );
}
