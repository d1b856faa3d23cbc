-- A store written with schema version 1 (audit_entries and first_seen only, no overrides
-- table, no append-only triggers), as released before overrides existed. Three decisions,
-- dumped with sqlite3's iterdump; tests load it and open it with the current code.
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE audit_entries (
    seq         INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    kind        TEXT NOT NULL,
    record_kind TEXT,
    record_id   TEXT,
    record_hash TEXT,
    supplier_id TEXT,
    action      TEXT,
    content     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    entry_hash  TEXT NOT NULL
);
INSERT INTO "audit_entries" VALUES(1,'2025-11-03T08:00:00.000000+00:00','decision','purchase_order','PO-100','0000000000000000000000000000000000000000000000000000000000000001','S-7','warn','{"decision":{"action":"warn","findings":[{"code":"A3","detail":"S-7 has a A3 finding at supplier.evidence[0].","evidence":[],"score":null,"steps":["B3"],"subject":"supplier.evidence[0]","supplier_id":"S-7"}],"list_versions":[{"as_of":"2026-01-15","complete":true,"entries":null,"name":"UFLPA Entity List","note":null,"source":null}],"policy_version":"default","reasons":["S-7 has a A3 finding at supplier.evidence[0]."],"screened_at":"2025-11-03T08:00:00Z","steps":["B3"],"subject":"PO-100","warnings":[]}}','0000000000000000000000000000000000000000000000000000000000000000','3de2ce7d17a43a1f28a24b1628de49c90b2f599332f7c5c4c4377795544812c3');
INSERT INTO "audit_entries" VALUES(2,'2025-11-04T08:00:00.000000+00:00','decision','purchase_order','PO-101','0000000000000000000000000000000000000000000000000000000000000002','S-8','allow','{"decision":{"action":"allow","findings":[],"list_versions":[{"as_of":"2026-01-15","complete":true,"entries":null,"name":"UFLPA Entity List","note":null,"source":null}],"policy_version":"default","reasons":["nothing found"],"screened_at":"2025-11-04T08:00:00Z","steps":[],"subject":"PO-101","warnings":[]}}','3de2ce7d17a43a1f28a24b1628de49c90b2f599332f7c5c4c4377795544812c3','21f673c913dd337ebde710e1844eb3b0dfb5376af1c8d12a6fe72b67378eb057');
INSERT INTO "audit_entries" VALUES(3,'2025-11-05T08:00:00.000000+00:00','decision','purchase_order','PO-102','0000000000000000000000000000000000000000000000000000000000000003','S-9','block','{"decision":{"action":"block","findings":[{"code":"A1","detail":"S-9 has a A1 finding at supplier.addresses[0].","evidence":[],"score":null,"steps":["B1"],"subject":"supplier.addresses[0]","supplier_id":"S-9"}],"list_versions":[{"as_of":"2026-01-15","complete":true,"entries":null,"name":"UFLPA Entity List","note":null,"source":null}],"policy_version":"default","reasons":["S-9 has a A1 finding at supplier.addresses[0]."],"screened_at":"2025-11-05T08:00:00Z","steps":["B1"],"subject":"PO-102","warnings":[]}}','21f673c913dd337ebde710e1844eb3b0dfb5376af1c8d12a6fe72b67378eb057','3f4a887467620dd3f73843620850e3bb968de1d4d51ce767d649b3f00b386703');
CREATE TABLE first_seen (
    finding_key TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL,
    code        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    entry_seq   INTEGER NOT NULL
);
INSERT INTO "first_seen" VALUES('S-7|A3|supplier.evidence[0]','S-7','A3','supplier.evidence[0]','2025-11-03',1);
INSERT INTO "first_seen" VALUES('S-9|A1|supplier.addresses[0]','S-9','A1','supplier.addresses[0]','2025-11-05',3);
CREATE INDEX first_seen_by_supplier ON first_seen (supplier_id);
COMMIT;
