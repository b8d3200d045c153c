CREATE TABLE "trust_hub_commitments" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"statement" text NOT NULL,
	"category" text NOT NULL,
	"control_id" uuid,
	"published" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_hub_commitments_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_hub_hosts" (
	"org_id" uuid NOT NULL,
	"host" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "trust_hub_hosts_org_id_host_pk" PRIMARY KEY("org_id","host")
);
--> statement-breakpoint
CREATE TABLE "trust_hub_settings" (
	"org_id" uuid NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"display_name" text NOT NULL,
	"accent_color" text DEFAULT '#1c7ed6' NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"security_contacts" text[] DEFAULT '{}' NOT NULL,
	"security_txt_expires" timestamp with time zone,
	"security_txt_encryption" text,
	"security_txt_acknowledgments" text,
	"security_txt_policy" text,
	"security_txt_hiring" text,
	"security_txt_languages" text[] DEFAULT '{}' NOT NULL,
	"published_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_hub_settings_org_id_pk" PRIMARY KEY("org_id")
);
--> statement-breakpoint
ALTER TABLE "trust_hub_commitments" ADD CONSTRAINT "trust_hub_commitments_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_hub_hosts" ADD CONSTRAINT "trust_hub_hosts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_hub_settings" ADD CONSTRAINT "trust_hub_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trust_hub_commitments_org_idx" ON "trust_hub_commitments" USING btree ("org_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "trust_hub_hosts_host_key" ON "trust_hub_hosts" USING btree ("host");