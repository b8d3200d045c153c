CREATE TABLE "check_controls" (
	"org_id" uuid NOT NULL,
	"check_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	CONSTRAINT "check_controls_org_id_check_id_control_id_pk" PRIMARY KEY("org_id","check_id","control_id")
);
--> statement-breakpoint
CREATE TABLE "check_runs" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"check_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"assertions" jsonb NOT NULL,
	"output" text NOT NULL,
	"evidence_id" uuid,
	CONSTRAINT "check_runs_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "checks" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"config" jsonb NOT NULL,
	"sealed_secrets" text,
	"interval_minutes" integer NOT NULL,
	"timeout_seconds" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status" text,
	"last_run_at" timestamp with time zone,
	CONSTRAINT "checks_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "check_controls" ADD CONSTRAINT "check_controls_check_fk" FOREIGN KEY ("org_id","check_id") REFERENCES "public"."checks"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_controls" ADD CONSTRAINT "check_controls_control_fk" FOREIGN KEY ("org_id","control_id") REFERENCES "public"."controls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_runs" ADD CONSTRAINT "check_runs_check_fk" FOREIGN KEY ("org_id","check_id") REFERENCES "public"."checks"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_runs_history_idx" ON "check_runs" USING btree ("org_id","check_id","started_at");--> statement-breakpoint
CREATE INDEX "checks_due_idx" ON "checks" USING btree ("next_run_at") WHERE "checks"."enabled";