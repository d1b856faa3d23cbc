-- A store file as written by the release before one migration scheme (commit 0dbb894): audit tables
-- at PRAGMA user_version 2, campaign tables versioned apart in campaign_schema_version (2), one
-- override, one campaign with an instruction sent, a reminder and an accepted acknowledgement.
PRAGMA user_version = 2;
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
INSERT INTO "audit_entries" VALUES(1,'2026-03-02T09:00:00.000000+00:00','override','supplier','S-7',NULL,'S-7',NULL,'{"override":{"approvals":[],"codes":["A3"],"created_at":"2026-03-02T09:00:00Z","created_by":"alice","expires_on":"2026-06-01","id":"OVR-1","po_id":null,"reason":"exit proven","requires_second_approver":false,"revocation":null,"subjects":[],"supplier_id":"S-7"}}','0000000000000000000000000000000000000000000000000000000000000000','9c9e73943e8972102e1ca56b956cebdee118ff6899e93f6ea0272ffcaaa508d7');
CREATE TABLE campaign_acknowledgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL REFERENCES campaign_instructions(reference),
    received_on TEXT NOT NULL,
    signed_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    review TEXT NOT NULL DEFAULT 'pending',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    review_note TEXT NOT NULL DEFAULT ''
);
INSERT INTO "campaign_acknowledgements" VALUES(1,'FLG-B4-OLD1','2026-03-28','Li Wei','','jana','2026-03-02T09:00:00+00:00','accepted','jana','2026-03-02T09:00:00+00:00','');
CREATE TABLE campaign_campaigns (
    name TEXT PRIMARY KEY,
    company_json TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO "campaign_campaigns" VALUES('B4','{"name":"Nordwind Outdoor GmbH","contact_name":"Jana Keller","contact_email":"sourcing@nordwind.example","contact_phone":"","letterhead":[]}','{"response_days":30,"reminder_days_before":[7,1],"language":"en"}','2026-03-02T09:00:00+00:00');
CREATE TABLE campaign_documents (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
INSERT INTO "campaign_documents" VALUES('dc6e8131baa74c9f7a2a09335913228ced33d57c3e9421c53c37c8f53afb98ba',16,X'25504446206174746573746174696F6E');
CREATE TABLE campaign_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
INSERT INTO "campaign_events" VALUES(1,'FLG-B4-OLD1','2026-03-02T09:00:00+00:00','recorded','','');
INSERT INTO "campaign_events" VALUES(2,'FLG-B4-OLD1','2026-03-02T09:00:00+00:00','issued','','eml out/1.eml; deadline 2026-04-01');
INSERT INTO "campaign_events" VALUES(3,'FLG-B4-OLD1','2026-03-02T09:00:00+00:00','reminded','','on 2026-03-25');
INSERT INTO "campaign_events" VALUES(4,'FLG-B4-OLD1','2026-03-02T09:00:00+00:00','acknowledged','jana','ack 1: attest.pdf (attestation)');
INSERT INTO "campaign_events" VALUES(5,'FLG-B4-OLD1','2026-03-02T09:00:00+00:00','proof_accepted','jana','');
CREATE TABLE campaign_instructions (
    reference TEXT PRIMARY KEY,
    campaign TEXT NOT NULL REFERENCES campaign_campaigns(name),
    supplier_key TEXT NOT NULL,
    supplier_id TEXT,
    supplier_name TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    language TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    channel TEXT NOT NULL,
    sent_at TEXT,
    message_id TEXT,
    overdue_marked_on TEXT,
    UNIQUE (campaign, supplier_key)
);
INSERT INTO "campaign_instructions" VALUES('FLG-B4-OLD1','B4','S-001','S-001','Supplier 1 Ltd','','s1@v.example','en','2026-03-02','2026-04-01','eml','2026-03-02T09:00:00+00:00','<m1@x>',NULL);
CREATE TABLE campaign_pending (
    supplier_key TEXT PRIMARY KEY,
    supplier_json TEXT NOT NULL,
    first_flagged_on TEXT NOT NULL,
    last_flagged_on TEXT NOT NULL
);
CREATE TABLE campaign_pending_reasons (
    supplier_key TEXT NOT NULL REFERENCES campaign_pending(supplier_key),
    code TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    decision_subject TEXT,
    first_flagged_on TEXT NOT NULL,
    PRIMARY KEY (supplier_key, code, subject)
);
CREATE TABLE campaign_proofs (
    ack_id INTEGER NOT NULL REFERENCES campaign_acknowledgements(id),
    sha256 TEXT NOT NULL REFERENCES campaign_documents(sha256),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (ack_id, sha256, file_name)
);
INSERT INTO "campaign_proofs" VALUES(1,'dc6e8131baa74c9f7a2a09335913228ced33d57c3e9421c53c37c8f53afb98ba','attest.pdf','attestation');
CREATE TABLE campaign_reminders (
    reference TEXT NOT NULL REFERENCES campaign_instructions(reference),
    sent_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT NOT NULL
);
INSERT INTO "campaign_reminders" VALUES('FLG-B4-OLD1','2026-03-25','2026-03-02T09:00:00+00:00','<m2@x>');
CREATE TABLE campaign_schema_version (version INTEGER NOT NULL);
INSERT INTO "campaign_schema_version" VALUES(2);
CREATE TABLE first_seen (
    finding_key TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL,
    code        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    entry_seq   INTEGER NOT NULL
);
CREATE TABLE overrides (
    id          TEXT PRIMARY KEY,
    po_id       TEXT,
    supplier_id TEXT,
    expires_on  TEXT NOT NULL,
    state       TEXT NOT NULL,
    updated_seq INTEGER NOT NULL
);
INSERT INTO "overrides" VALUES('OVR-1',NULL,'S-7','2026-06-01','{"approvals":[],"codes":["A3"],"created_at":"2026-03-02T09:00:00Z","created_by":"alice","expires_on":"2026-06-01","id":"OVR-1","po_id":null,"reason":"exit proven","requires_second_approver":false,"revocation":null,"subjects":[],"supplier_id":"S-7"}',1);
CREATE INDEX first_seen_by_supplier ON first_seen (supplier_id);
CREATE INDEX overrides_by_po ON overrides (po_id);
CREATE INDEX overrides_by_supplier ON overrides (supplier_id);
CREATE INDEX audit_by_supplier ON audit_entries (supplier_id, seq);
CREATE INDEX audit_by_time ON audit_entries (recorded_at);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
CREATE INDEX campaign_instructions_supplier
    ON campaign_instructions(supplier_key);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('campaign_events',5);
INSERT INTO "sqlite_sequence" VALUES('campaign_acknowledgements',1);
COMMIT;
