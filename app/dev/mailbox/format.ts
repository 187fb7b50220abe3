/** "2026-11-25 14:03:12 UTC": the same on server and client, easy to compare with logs. */
export function formatDevTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
