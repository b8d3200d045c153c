-- Leaf hashes were stored twice (ledger_entries.leaf_hash and level-0 ledger_nodes rows); proofs and audits now read them from the entries.
DELETE FROM "ledger_nodes" WHERE "level" = 0;--> statement-breakpoint
ALTER TABLE "ledger_nodes" ADD CONSTRAINT "ledger_nodes_interior_check" CHECK ("ledger_nodes"."level" > 0);
