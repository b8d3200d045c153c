CREATE TABLE "framework_requirements" (
	"version_id" uuid NOT NULL,
	"requirement_id" text NOT NULL,
	"parent_id" text,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"statement" text,
	"sort_key" integer NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"attrs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"params" jsonb,
	"props" jsonb,
	CONSTRAINT "framework_requirements_version_id_requirement_id_pk" PRIMARY KEY("version_id","requirement_id"),
	CONSTRAINT "framework_requirements_kind_check" CHECK ("framework_requirements"."kind" IN ('group', 'requirement'))
);
--> statement-breakpoint
CREATE TABLE "framework_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid,
	"framework_id" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"framework_version" text NOT NULL,
	"publisher" text NOT NULL,
	"source_note" text NOT NULL,
	"origin" text NOT NULL,
	"file_name" text,
	"content_sha256" text NOT NULL,
	"oscal_catalog" jsonb,
	"is_current" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "framework_versions_origin_check" CHECK ("framework_versions"."origin" IN ('builtin', 'oscal-catalog', 'oscal-profile'))
);
--> statement-breakpoint
CREATE TABLE "mapping_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid,
	"set_id" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"origin" text NOT NULL,
	"provenance" text NOT NULL,
	"content_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mapping_sets_origin_check" CHECK ("mapping_sets"."origin" IN ('builtin', 'oscal-mapping'))
);
--> statement-breakpoint
CREATE TABLE "mappings" (
	"set_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"source_framework" text NOT NULL,
	"source_id" text NOT NULL,
	"target_framework" text NOT NULL,
	"target_id" text NOT NULL,
	"relationship" text NOT NULL,
	"rationale" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "mappings_set_id_n_pk" PRIMARY KEY("set_id","n"),
	CONSTRAINT "mappings_relationship_check" CHECK ("mappings"."relationship" IN ('equivalent-to', 'equal-to', 'subset-of', 'superset-of', 'intersects-with', 'no-relationship'))
);
--> statement-breakpoint
CREATE TABLE "org_frameworks" (
	"org_id" uuid NOT NULL,
	"framework_id" text NOT NULL,
	"added_by" text,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_frameworks_org_id_framework_id_pk" PRIMARY KEY("org_id","framework_id")
);
--> statement-breakpoint
ALTER TABLE "framework_requirements" ADD CONSTRAINT "framework_requirements_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mapping_sets" ADD CONSTRAINT "mapping_sets_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_set_id_mapping_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."mapping_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_frameworks" ADD CONSTRAINT "org_frameworks_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "framework_requirements_order_idx" ON "framework_requirements" USING btree ("version_id","sort_key");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_versions_owner_version_key" ON "framework_versions" USING btree (coalesce("org_id", '00000000-0000-0000-0000-000000000000'::uuid),"framework_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_versions_one_current_key" ON "framework_versions" USING btree (coalesce("org_id", '00000000-0000-0000-0000-000000000000'::uuid),"framework_id") WHERE "framework_versions"."is_current";--> statement-breakpoint
CREATE INDEX "framework_versions_org_idx" ON "framework_versions" USING btree ("org_id","framework_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mapping_sets_owner_key" ON "mapping_sets" USING btree (coalesce("org_id", '00000000-0000-0000-0000-000000000000'::uuid),"set_id");--> statement-breakpoint
CREATE INDEX "mappings_source_idx" ON "mappings" USING btree ("source_framework","source_id");--> statement-breakpoint
CREATE INDEX "mappings_target_idx" ON "mappings" USING btree ("target_framework","target_id");