-- Nodes below level 4 are recomputed from the leaf hashes now (tree-hash.ts, FIRST_STORED_LEVEL); the rows go.
ALTER TABLE "ledger_nodes" DROP CONSTRAINT "ledger_nodes_interior_check";--> statement-breakpoint
DELETE FROM "ledger_nodes" WHERE "level" < 4;--> statement-breakpoint
ALTER TABLE "ledger_nodes" ADD CONSTRAINT "ledger_nodes_interior_check" CHECK ("ledger_nodes"."level" >= 4);
