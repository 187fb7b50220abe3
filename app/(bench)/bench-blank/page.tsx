/**
 * Baseline for `npm run bench` (first-load JavaScript): a page of this build with nothing interactive,
 * so the bench can tell what the login and 2FA pages add to what every page ships. It renders nothing,
 * reads nothing and needs no session (proxy.ts redirects signed-out visitors of the app's pages only).
 */
export const metadata = { title: "Blank", robots: { index: false } };

export default function BenchBlankPage() {
  return null;
}
