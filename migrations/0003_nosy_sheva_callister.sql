CREATE TABLE "control_requirements" (
	"org_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	"framework" text NOT NULL,
	"requirement_id" text NOT NULL,
	CONSTRAINT "control_requirements_org_id_control_id_framework_requirement_id_pk" PRIMARY KEY("org_id","control_id","framework","requirement_id")
);
--> statement-breakpoint
CREATE TABLE "controls" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_user_id" uuid,
	"frequency" text NOT NULL,
	"nature" text NOT NULL,
	"automation" text NOT NULL,
	"lifecycle" text DEFAULT 'draft' NOT NULL,
	"scope" text[] DEFAULT '{}'::text[] NOT NULL,
	"starter_code" text,
	"starter_version" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "controls_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "control_requirements" ADD CONSTRAINT "control_requirements_control_fk" FOREIGN KEY ("org_id","control_id") REFERENCES "public"."controls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "controls" ADD CONSTRAINT "controls_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "controls" ADD CONSTRAINT "controls_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "control_requirements_requirement_idx" ON "control_requirements" USING btree ("org_id","framework","requirement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "controls_code_key" ON "controls" USING btree ("org_id","code");