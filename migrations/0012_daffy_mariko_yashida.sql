CREATE TABLE "control_health" (
	"org_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	"health" text NOT NULL,
	"reason" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "control_health_org_id_control_id_pk" PRIMARY KEY("org_id","control_id")
);
--> statement-breakpoint
CREATE TABLE "control_health_transitions" (
	"org_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"control_id" uuid NOT NULL,
	"from_health" text,
	"to_health" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "control_health_transitions_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "control_health" ADD CONSTRAINT "control_health_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_health_transitions" ADD CONSTRAINT "control_health_transitions_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "control_health_transitions_control" ON "control_health_transitions" USING btree ("org_id","control_id","id");