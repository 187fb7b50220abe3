/**
 * next-auth v4 configuration. The only provider is a Credentials provider whose authorize() consumes a
 * completed login challenge (cookie) and sets the device cookie (lib/auth/open-session.ts). Nothing
 * the client submits names the user.
 * Built lazily: the secret is read at request time, never at build time.
 */
import { cookies } from "next/headers";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { SESSION_MAX_AGE_SECONDS, getSecrets, isProduction } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { metaFromHeaders, requestMeta } from "@/lib/request-context";
import { signOutSession } from "@/lib/users/own-sessions";
import { CHALLENGE_COOKIE, readDeviceCookie, setDeviceCookie } from "./challenge-cookie";
import { openSession } from "./open-session";
import type { SessionClaims } from "./sessions";

declare module "next-auth" {
  interface Session {
    claims: SessionClaims;
  }
  interface User {
    sid: string;
    ver: number;
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
    providers: [
      CredentialsProvider({
        id: "challenge",
        name: "Login challenge",
        credentials: {},
        async authorize(_credentials, req) {
          const jar = await cookies();
          const token = jar.get(CHALLENGE_COOKIE)?.value;
          const headers = new Headers();
          for (const [k, v] of Object.entries(req?.headers ?? {})) if (typeof v === "string") headers.set(k, v);
          // Every factor has passed: the session, and the device cookie that marks this browser as known.
          const result = await openSession(await getDb(), {
            challengeToken: token,
            deviceCookie: await readDeviceCookie(),
            meta: metaFromHeaders(headers),
          });
          if (!result) return null;
          jar.delete(CHALLENGE_COOKIE);
          await setDeviceCookie(result.deviceCookie);
          return { id: result.user.id, sid: result.sessionId, ver: result.user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          // A fresh token at every sign-in (S6): only the ids the server checks on each request.
          return { uid: user.id, sid: user.sid, ver: user.ver, sub: user.id };
        }
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
