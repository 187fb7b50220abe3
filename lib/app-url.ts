/**
 * The app's public address, for links in emails (password reset). NEXTAUTH_URL when set. Never the
 * request's Host header in production: anyone can send a forged Host, and a reset link pointing at
 * their server would hand them the token ("password reset poisoning"). Outside production, without
 * NEXTAUTH_URL, the address the request came to (a developer's own machine).
 */
import { headers } from "next/headers";
import { isProduction } from "@/lib/config";
import { AppError } from "@/lib/errors";

export function configuredBaseUrl(): string | null {
  const url = process.env.NEXTAUTH_URL;
  return url ? url.replace(/\/+$/, "") : null;
}

export async function appBaseUrl(): Promise<string> {
  const configured = configuredBaseUrl();
  if (configured) return configured;
  if (isProduction()) {
    console.error("[config] NEXTAUTH_URL is not set: links in emails cannot be built");
    throw new AppError("unavailable", "The service is not configured to send links by email. Please contact your administrator.");
  }
  const host = (await headers()).get("host") ?? "localhost:3000";
  return `http://${host}`;
}
