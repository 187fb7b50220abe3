/** Fixtures shared by every e2e test: page objects and seeded accounts. */
import { test as base, expect } from "@playwright/test";
import { LoginPage } from "./pages/login-page";
import { ProfilePage } from "./pages/profile-page";

export const DEMO_PASSWORD = "acme-demo-password";
export const DEMO = {
  admin: "admin@acme.test",
  agents: ["agent1@acme.test", "agent2@acme.test", "agent3@acme.test", "agent4@acme.test", "agent5@acme.test"],
};

type Fixtures = { loginPage: LoginPage; profilePage: ProfilePage };

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  profilePage: async ({ page }, provide) => provide(new ProfilePage(page)),
});

export { expect };

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;
