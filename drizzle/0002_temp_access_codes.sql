CREATE TABLE "temp_access_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"issued_by" uuid,
	"issuer_type" text NOT NULL,
	"code_hash" text NOT NULL,
	"remove_factors" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "temp_codes_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "temp_code_max_hours" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "temp_access_codes" ADD CONSTRAINT "temp_access_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "temp_access_codes" ADD CONSTRAINT "temp_access_codes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "temp_access_codes" ADD CONSTRAINT "temp_access_codes_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "temp_access_codes_user_idx" ON "temp_access_codes" USING btree ("user_id","code_hash");--> statement-breakpoint
CREATE INDEX "temp_access_codes_org_idx" ON "temp_access_codes" USING btree ("org_id");