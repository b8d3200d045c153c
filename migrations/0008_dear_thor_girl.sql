CREATE TABLE "trust_access_links" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"nonce_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_access_links_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_access_rules" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"allowed_domains" text[] DEFAULT '{}' NOT NULL,
	"auto_approve_plans" text[] DEFAULT '{}' NOT NULL,
	"grant_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_accounts" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"company_name" text NOT NULL,
	"email_domains" text[] DEFAULT '{}' NOT NULL,
	"plan" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_accounts_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_document_versions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"label" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"page_count" integer NOT NULL,
	"filename" text NOT NULL,
	"ledger_index" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_document_versions_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_documents" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"visibility" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_documents_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_downloads" (
	"org_id" uuid NOT NULL,
	"id" text NOT NULL,
	"document_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"visibility" text NOT NULL,
	"grant_id" uuid,
	"name" text,
	"email" text,
	"company" text,
	"ip" text,
	"ledger_index" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_downloads_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_grants" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"company" text NOT NULL,
	"reason" text NOT NULL,
	"requested_document_id" uuid,
	"nda_id" uuid NOT NULL,
	"nda_sha256" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"acceptance_ledger_index" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_grants_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_ndas" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"label" text NOT NULL,
	"text" text NOT NULL,
	"sha256" text NOT NULL,
	"current" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_ndas_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_visitor_sessions" (
	"org_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"grant_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_visitor_sessions_org_id_secret_hash_pk" PRIMARY KEY("org_id","secret_hash")
);
--> statement-breakpoint
ALTER TABLE "trust_access_links" ADD CONSTRAINT "trust_access_links_grant_fk" FOREIGN KEY ("org_id","grant_id") REFERENCES "public"."trust_grants"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_access_rules" ADD CONSTRAINT "trust_access_rules_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_accounts" ADD CONSTRAINT "customer_accounts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_document_versions" ADD CONSTRAINT "trust_document_versions_doc_fk" FOREIGN KEY ("org_id","document_id") REFERENCES "public"."trust_documents"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_documents" ADD CONSTRAINT "trust_documents_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_downloads" ADD CONSTRAINT "trust_downloads_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_grants" ADD CONSTRAINT "trust_grants_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_ndas" ADD CONSTRAINT "trust_ndas_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_visitor_sessions" ADD CONSTRAINT "trust_visitor_sessions_grant_fk" FOREIGN KEY ("org_id","grant_id") REFERENCES "public"."trust_grants"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "trust_access_links_token_key" ON "trust_access_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "trust_document_versions_doc_idx" ON "trust_document_versions" USING btree ("org_id","document_id","created_at");--> statement-breakpoint
CREATE INDEX "trust_downloads_org_at_idx" ON "trust_downloads" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "trust_grants_org_status_idx" ON "trust_grants" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "trust_ndas_current_key" ON "trust_ndas" USING btree ("org_id") WHERE "trust_ndas"."current";