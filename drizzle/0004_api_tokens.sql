ALTER TABLE "login_challenges" ADD COLUMN "client_name" text;--> statement-breakpoint
ALTER TABLE "login_challenges" ADD COLUMN "client_kind" text;