"use client";
/**
 * A moment shown in the reader's own time zone and locale. The server renders it in UTC, en-GB (it
 * does not know the reader's zone); once hydrated, the browser shows local time in its own format,
 * the one its date fields use. Same markup either way: <time>.
 */
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

export function formatDateTime(date: Date, timeZone?: string, locale?: string) {
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(date);
}

export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const date = new Date(iso);
  return (
    <time dateTime={iso} className={className} title={date.toISOString()}>
      {hydrated ? formatDateTime(date) : formatDateTime(date, "UTC", "en-GB")}
    </time>
  );
}
