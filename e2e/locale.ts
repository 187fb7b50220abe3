/**
 * The browsers' language in e2e (playwright.config.ts `locale`): the app writes dates the way that
 * locale does ("Dec 2" in en-US), like the browser's own date fields (Chromium's are mm/dd/yyyy here).
 */
export const E2E_LOCALE = "en-US";
