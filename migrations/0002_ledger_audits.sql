CREATE TABLE "ledger_audits" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" text NOT NULL,
	"checkpoints" integer NOT NULL,
	"ok" boolean NOT NULL,
	"problem_count" integer NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"trigger" text NOT NULL,
	CONSTRAINT "ledger_audits_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "ledger_audits_trigger_check" CHECK ("ledger_audits"."trigger" IN ('schedule', 'manual', 'cli'))
);
--> statement-breakpoint
ALTER TABLE "ledger_audits" ADD CONSTRAINT "ledger_audits_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_audits_latest_idx" ON "ledger_audits" USING btree ("org_id","finished_at");