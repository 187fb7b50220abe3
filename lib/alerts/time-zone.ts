/** Local calendar facts in an organisation's IANA time zone (weekly digest on Monday morning there). */

export function isTimeZone(value: string): boolean {
  if (!value || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The local date (YYYY-MM-DD), weekday (1 = Monday … 7 = Sunday) and hour (0–23) of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: isTimeZone(timeZone) ? timeZone : "UTC",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    weekday: "short",
    hour: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday")) + 1;
  return { date: `${get("year")}-${get("month")}-${get("day")}`, weekday, hour: Number(get("hour")) };
}

/** Monday morning: the digest goes out from this local hour on Mondays. */
export const DIGEST_HOUR = 8;

export function isDigestTime(at: Date, timeZone: string) {
  const local = localTime(at, timeZone);
  return local.weekday === 1 && local.hour >= DIGEST_HOUR;
}

/** Time zones offered on the policy page (any valid IANA name is accepted). */
export function knownTimeZones(): string[] {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return list.includes("UTC") ? list : ["UTC", ...list];
}
