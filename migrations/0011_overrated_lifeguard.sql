ALTER TABLE "ledger_nodes" DROP CONSTRAINT "ledger_nodes_org_id_orgs_id_fk";
--> statement-breakpoint
DROP INDEX "ledger_entries_leaf_idx";--> statement-breakpoint
CREATE INDEX "ledger_entries_leaf_hash_idx" ON "ledger_entries" USING hash ("leaf_hash");