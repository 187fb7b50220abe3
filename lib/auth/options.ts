/**
 * next-auth v4 configuration: JWT sessions, read on every request and checked against the database
 * (lib/auth/current-user.ts), and sign-out. Sign-in is not next-auth's: the login routes end with the
 * session cookie made by next-auth's own `encode` (lib/auth/challenge-cookie.ts startSession), so the
 * step that passes the last factor is also the one that starts the session.
 * Built lazily: the secret is read at request time, never at build time.
 */
import type { NextAuthOptions } from "next-auth";
import { SESSION_MAX_AGE_SECONDS, getSecrets, isProduction } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { requestMeta } from "@/lib/request-context";
import { signOutSession } from "@/lib/users/own-sessions";
import type { SessionClaims } from "./sessions";

declare module "next-auth" {
  interface Session {
    claims: SessionClaims;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    sid?: string;
    ver?: number;
  }
}

let options: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  options ??= {
    secret: getSecrets().nextAuthSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    useSecureCookies: isProduction(),
    // No provider: sessions start in the login routes (app/api/login/*), which set the JWT this reads
    // (lib/auth/challenge-cookie.ts startSession). next-auth reads sessions and signs out.
    providers: [],
    callbacks: {
      // The token as startSession made it, fresh at every sign-in (S6): only the ids checked on each request.
      async jwt({ token }) {
        return token;
      },
      async session({ session, token }) {
        return { expires: session.expires, claims: { uid: token.uid!, sid: token.sid!, ver: token.ver! } };
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.uid && token.sid) await signOutSession(await getDb(), token.uid, token.sid, await requestMeta());
      },
    },
  };
  return options;
}
