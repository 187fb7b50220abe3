CREATE TABLE "signup_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"organization_name" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "placeholder_for" text;--> statement-breakpoint
CREATE UNIQUE INDEX "signup_requests_email_idx" ON "signup_requests" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "signup_requests_token_idx" ON "signup_requests" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "users_org_placeholder_idx" ON "users" USING btree ("org_id","placeholder_for");