/**
 * The reader's locale, for dates the app writes out ("2 Dec" or "Dec 2"): the first language of the
 * browser's Accept-Language that this runtime can format, so a date in a sentence reads like the
 * browser's own date field. Pure: the server passes the header in (lib/request-context.ts).
 */
export const DEFAULT_LOCALE = "en-GB";

export function pickLocale(acceptLanguage: string | null | undefined): string {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const tags = acceptLanguage
    .slice(0, 200)
    .split(",")
    .map((part) => part.split(";")[0]!.trim())
    .filter((tag) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag));
  for (const tag of tags) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // A tag Intl rejects: try the next one.
    }
  }
  return DEFAULT_LOCALE;
}
