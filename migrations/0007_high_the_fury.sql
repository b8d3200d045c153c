CREATE TABLE "evidence_controls" (
	"org_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	CONSTRAINT "evidence_controls_org_id_evidence_id_control_id_pk" PRIMARY KEY("org_id","evidence_id","control_id")
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"series_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sha256" text,
	"size" bigint,
	"media_type" text,
	"file_name" text,
	"url" text,
	"body" text,
	"check_id" uuid,
	"check_status" text,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"collected_at" timestamp with time zone NOT NULL,
	"collector_kind" text NOT NULL,
	"collector_user_id" uuid,
	"collector_label" text NOT NULL,
	"status" text NOT NULL,
	"review_reason" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"retention_until" date NOT NULL,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"legal_hold_reason" text,
	"purged_at" timestamp with time zone,
	"ledger_index" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_items_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "evidence_items_file_has_hash" CHECK (kind <> 'file' OR (sha256 IS NOT NULL AND size IS NOT NULL)),
	CONSTRAINT "evidence_items_period" CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end)
);
--> statement-breakpoint
ALTER TABLE "evidence_controls" ADD CONSTRAINT "evidence_controls_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_controls_control" ON "evidence_controls" USING btree ("org_id","control_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_items_series_version" ON "evidence_items" USING btree ("org_id","series_id","version");--> statement-breakpoint
CREATE INDEX "evidence_items_sha" ON "evidence_items" USING btree ("org_id","sha256");--> statement-breakpoint
CREATE INDEX "evidence_items_retention" ON "evidence_items" USING btree ("retention_until") WHERE purged_at IS NULL AND NOT legal_hold;