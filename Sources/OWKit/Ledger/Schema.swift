/// The ledger's schema, one migration per `PRAGMA user_version` step. Forward-only:
/// a migration is never edited once shipped; a new one is appended.
package enum Schema {
    static let migrations: [@Sendable (Database) throws -> Void] = [
        // 1: identity, configuration and the audit chain.
        { db in
            try db.execute(
                """
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE config(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE users(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('admin','employee','scanner')),
                    dept TEXT,
                    email TEXT,
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','offboarded')),
                    created_at TEXT NOT NULL,
                    offboarded_at TEXT
                );
                CREATE TABLE issuers(
                    kid TEXT PRIMARY KEY,
                    public_key BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                ) WITHOUT ROWID;
                CREATE TABLE tokens(
                    jti TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    role TEXT NOT NULL,
                    issued_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                );
                CREATE INDEX tokens_by_user ON tokens(user_id);
                CREATE TABLE revoked_tokens(
                    jti TEXT PRIMARY KEY,
                    revoked_at TEXT NOT NULL,
                    revoked_by TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE events(
                    seq INTEGER PRIMARY KEY,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    action TEXT NOT NULL,
                    object TEXT NOT NULL,
                    details TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TABLE seals(
                    id INTEGER PRIMARY KEY,
                    seq INTEGER NOT NULL,
                    head_hash TEXT NOT NULL,
                    time TEXT NOT NULL,
                    kid TEXT NOT NULL,
                    signature BLOB NOT NULL
                );
                -- Append-only through owatch. An attacker with file access can drop these;
                -- the hash chain and seals are what detect that (SPEC §6).
                CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER events_append_only_d BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER seals_append_only_u BEFORE UPDATE ON seals BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
                CREATE TRIGGER seals_append_only_d BEFORE DELETE ON seals BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
                """)
        },

        // 2: the software inventory: vendors, licenses, their purchase lines and seats.
        { db in
            try db.execute(
                """
                CREATE TABLE vendors(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    category TEXT NOT NULL DEFAULT 'other',
                    domains TEXT NOT NULL DEFAULT '',     -- comma-separated billing sender domains
                    aliases TEXT NOT NULL DEFAULT '',     -- comma-separated, lower case
                    source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('builtin','local'))
                );
                CREATE TABLE licenses(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    vendor_id INTEGER NOT NULL REFERENCES vendors(id),
                    plan TEXT,
                    category TEXT,                        -- overrides the vendor's category
                    owner_id INTEGER REFERENCES users(id),
                    period TEXT NOT NULL,                 -- monthly, yearly, 24m, one-off, ...
                    currency TEXT NOT NULL,
                    per_seat INTEGER NOT NULL DEFAULT 0,
                    renews_on TEXT,                       -- anchor date; the next renewal rolls forward from it
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','cancelled')),
                    ends_on TEXT,                         -- last day of a cancelled contract
                    notes TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX licenses_by_vendor ON licenses(vendor_id);
                -- Seats bought at a price: a license carries one line per order.
                CREATE TABLE purchases(
                    id INTEGER PRIMARY KEY,
                    license_id INTEGER NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
                    seats INTEGER CHECK (seats IS NULL OR seats > 0),   -- NULL: unlimited (site license)
                    cost_minor INTEGER NOT NULL CHECK (cost_minor >= 0), -- per billing period, whole line
                    order_ref TEXT,
                    purchased_on TEXT NOT NULL
                );
                CREATE INDEX purchases_by_license ON purchases(license_id);
                CREATE TABLE seats(
                    license_id INTEGER NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    assigned_at TEXT NOT NULL,
                    PRIMARY KEY (license_id, user_id)
                ) WITHOUT ROWID;
                CREATE INDEX seats_by_user ON seats(user_id);
                -- One row per license, renewal date and lead time whose hook has fired.
                CREATE TABLE renewal_notices(
                    license_id INTEGER NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
                    renews_on TEXT NOT NULL,
                    lead TEXT NOT NULL,
                    fired_at TEXT NOT NULL,
                    PRIMARY KEY (license_id, renews_on, lead)
                ) WITHOUT ROWID;
                """)
            try SchemaSeed.running().addCatalog(db)
        },

        // 3: requests and approvals; leave; expected spend from approved purchases.
        { db in
            try db.execute(
                """
                CREATE TABLE requests(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('software','leave','purchase')),
                    requester_id INTEGER NOT NULL REFERENCES users(id),
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','cancelled')),
                    summary TEXT NOT NULL,                -- what is asked for, in words
                    payload TEXT NOT NULL,                -- the request's fields as JSON
                    reason TEXT,
                    cost_minor INTEGER,
                    currency TEXT,
                    leave_from TEXT,                      -- leave: first and last day, type and working half-days
                    leave_to TEXT,
                    leave_type TEXT CHECK (leave_type IS NULL OR leave_type IN ('vacation','sick','unpaid')),
                    leave_halfdays INTEGER,
                    license_id INTEGER REFERENCES licenses(id) ON DELETE SET NULL,
                    created_at TEXT NOT NULL,
                    decided_at TEXT,
                    decided_by INTEGER REFERENCES users(id),
                    note TEXT
                );
                CREATE INDEX requests_by_status ON requests(status, id);
                CREATE INDEX requests_by_requester ON requests(requester_id, status);
                CREATE INDEX requests_leave ON requests(kind, leave_from, leave_to);
                -- Approved purchases: spend the office expects, so a matching charge is not shadow IT.
                CREATE TABLE expected_spend(
                    id INTEGER PRIMARY KEY,
                    request_id INTEGER NOT NULL UNIQUE REFERENCES requests(id),
                    item TEXT NOT NULL,
                    vendor_id INTEGER REFERENCES vendors(id),
                    amount_minor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    approved_on TEXT NOT NULL
                );
                """)
        },

        // 4: scanning: sources, what was seen, observed charges, findings, monthly spend aggregates.
        { db in
            try db.execute(
                """
                CREATE TABLE scan_sources(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('mbox','maildir','eml','statement')),
                    path TEXT NOT NULL UNIQUE,
                    map TEXT,                              -- statement column mapping, e.g. date=Booked,amount=EUR
                    registered INTEGER NOT NULL DEFAULT 1, -- 0: scanned once by path; `owatch scan` alone skips it
                    read_offset INTEGER NOT NULL DEFAULT 0, -- mbox: bytes already read
                    read_check TEXT,                       -- mbox: hash of the bytes around the offset
                    last_scan TEXT,
                    added_at TEXT NOT NULL
                );
                CREATE TABLE seen_items(
                    key TEXT PRIMARY KEY,                  -- Message-ID, content hash, or file name
                    source_id INTEGER REFERENCES scan_sources(id) ON DELETE SET NULL,
                    seen_at TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE charges(
                    id INTEGER PRIMARY KEY,
                    item_key TEXT NOT NULL UNIQUE,
                    origin TEXT NOT NULL CHECK (origin IN ('mail','statement','manual')),
                    vendor_id INTEGER REFERENCES vendors(id),
                    vendor TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    charged_on TEXT NOT NULL,
                    invoice_no TEXT,
                    period TEXT,
                    description TEXT,
                    license_id INTEGER REFERENCES licenses(id) ON DELETE SET NULL,
                    expected_id INTEGER REFERENCES expected_spend(id),
                    created_at TEXT NOT NULL
                );
                CREATE INDEX charges_by_vendor ON charges(vendor_id, charged_on);
                CREATE INDEX charges_by_license ON charges(license_id);
                CREATE TABLE findings(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('unmanaged','price_change','duplicate','renewal','unused_seats')),
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','adopted','ignored')),
                    dedupe_key TEXT NOT NULL UNIQUE,
                    vendor_id INTEGER REFERENCES vendors(id),
                    vendor TEXT,
                    license_id INTEGER REFERENCES licenses(id) ON DELETE SET NULL,
                    charge_id INTEGER REFERENCES charges(id),
                    amount_minor INTEGER,
                    monthly_minor INTEGER,
                    currency TEXT,
                    summary TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved_at TEXT,
                    resolved_by TEXT,
                    note TEXT
                );
                CREATE INDEX findings_by_status ON findings(status, kind);
                -- Observed spend per month, vendor and currency, maintained in the transaction of
                -- every charge written or reassigned, so reports never scan the charges.
                CREATE TABLE spend_monthly(
                    month TEXT NOT NULL,
                    vendor_id INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    observed_minor INTEGER NOT NULL DEFAULT 0,
                    unmanaged_minor INTEGER NOT NULL DEFAULT 0,
                    charges INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (month, vendor_id, currency)
                ) WITHOUT ROWID;
                """)
        },
        // 5: the monthly aggregate is kept by triggers, so no write path (foreign-key actions
        // included) can leave it stale; rebuilt once from the charges.
        { db in
            try db.execute(
                """
                DELETE FROM spend_monthly;
                INSERT INTO spend_monthly(month, vendor_id, currency, observed_minor, unmanaged_minor, charges)
                    SELECT substr(charged_on, 1, 7), vendor_id, currency, sum(amount_minor),
                           sum(CASE WHEN license_id IS NULL AND expected_id IS NULL THEN amount_minor ELSE 0 END), count(*)
                    FROM charges WHERE vendor_id IS NOT NULL GROUP BY 1, 2, 3;
                CREATE TRIGGER charges_add_to_month AFTER INSERT ON charges WHEN new.vendor_id IS NOT NULL BEGIN
                    INSERT INTO spend_monthly(month, vendor_id, currency, observed_minor, unmanaged_minor, charges)
                    VALUES (substr(new.charged_on, 1, 7), new.vendor_id, new.currency, new.amount_minor,
                            CASE WHEN new.license_id IS NULL AND new.expected_id IS NULL THEN new.amount_minor ELSE 0 END, 1)
                    ON CONFLICT(month, vendor_id, currency) DO UPDATE SET observed_minor = observed_minor + excluded.observed_minor,
                        unmanaged_minor = unmanaged_minor + excluded.unmanaged_minor, charges = charges + 1;
                END;
                CREATE TRIGGER charges_take_from_month AFTER DELETE ON charges WHEN old.vendor_id IS NOT NULL BEGIN
                    UPDATE spend_monthly SET observed_minor = observed_minor - old.amount_minor,
                        unmanaged_minor = unmanaged_minor - CASE WHEN old.license_id IS NULL AND old.expected_id IS NULL THEN old.amount_minor ELSE 0 END,
                        charges = charges - 1
                    WHERE month = substr(old.charged_on, 1, 7) AND vendor_id = old.vendor_id AND currency = old.currency;
                    DELETE FROM spend_monthly WHERE month = substr(old.charged_on, 1, 7) AND vendor_id = old.vendor_id
                        AND currency = old.currency AND charges = 0;
                END;
                CREATE TRIGGER charges_move_in_month AFTER UPDATE OF vendor_id, amount_minor, currency, charged_on, license_id, expected_id ON charges
                BEGIN
                    UPDATE spend_monthly SET observed_minor = observed_minor - old.amount_minor,
                        unmanaged_minor = unmanaged_minor - CASE WHEN old.license_id IS NULL AND old.expected_id IS NULL THEN old.amount_minor ELSE 0 END,
                        charges = charges - 1
                    WHERE old.vendor_id IS NOT NULL AND month = substr(old.charged_on, 1, 7) AND vendor_id = old.vendor_id AND currency = old.currency;
                    DELETE FROM spend_monthly WHERE month = substr(old.charged_on, 1, 7) AND vendor_id = old.vendor_id
                        AND currency = old.currency AND charges = 0;
                    INSERT INTO spend_monthly(month, vendor_id, currency, observed_minor, unmanaged_minor, charges)
                    SELECT substr(new.charged_on, 1, 7), new.vendor_id, new.currency, new.amount_minor,
                           CASE WHEN new.license_id IS NULL AND new.expected_id IS NULL THEN new.amount_minor ELSE 0 END, 1
                    WHERE new.vendor_id IS NOT NULL
                    ON CONFLICT(month, vendor_id, currency) DO UPDATE SET observed_minor = observed_minor + excluded.observed_minor,
                        unmanaged_minor = unmanaged_minor + excluded.unmanaged_minor, charges = charges + 1;
                END;
                """)
        },
        // 6: a re-sent invoice is recognised by vendor and number without reading all of the
        // vendor's charges (scans of big mailboxes were quadratic).
        { db in
            try db.execute(
                """
                CREATE INDEX charges_by_invoice ON charges(vendor_id, invoice_no) WHERE invoice_no IS NOT NULL;
                CREATE INDEX charges_by_expected ON charges(expected_id) WHERE expected_id IS NOT NULL;
                """)
        },
        // 7: a message skipped over its budget is remembered with the reason, so cron does not
        // stall on it again; a role change voids every token issued before it; the duplicate-payment check finds same-amount charges by index
        // (20,000 statement lines of one vendor within 28 days took 38 s).
        { db in
            try db.execute(
                """
                ALTER TABLE seen_items ADD COLUMN skipped TEXT;
                ALTER TABLE users ADD COLUMN tokens_after INTEGER;     -- tokens issued (iat) before this are void
                ALTER TABLE events ADD COLUMN state TEXT;              -- digest of the audited tables after the event
                ALTER TABLE users ADD COLUMN full_name TEXT;           -- "Zoë Lefèvre"; the user name stays what people type
                CREATE INDEX charges_by_amount ON charges(vendor_id, amount_minor, currency, origin, charged_on);
                -- Findings whose condition stopped holding are 'resolved' (with the reason in note).
                CREATE TABLE findings_v7(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('unmanaged','price_change','duplicate','renewal','unused_seats')),
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','adopted','ignored','resolved')),
                    dedupe_key TEXT NOT NULL UNIQUE,
                    vendor_id INTEGER REFERENCES vendors(id),
                    vendor TEXT,
                    license_id INTEGER REFERENCES licenses(id) ON DELETE SET NULL,
                    charge_id INTEGER REFERENCES charges(id),
                    amount_minor INTEGER,
                    monthly_minor INTEGER,
                    currency TEXT,
                    summary TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved_at TEXT,
                    resolved_by TEXT,
                    note TEXT
                );
                INSERT INTO findings_v7 SELECT * FROM findings;
                DROP TABLE findings;
                ALTER TABLE findings_v7 RENAME TO findings;
                CREATE INDEX findings_by_status ON findings(status, kind);
                -- One payment seen in several places (a receipt, an invoice PDF, a card line, by hand)
                -- is one charge: every place it was seen, its own included, is a row here.
                CREATE TABLE charge_sources(
                    charge_id INTEGER NOT NULL REFERENCES charges(id) ON DELETE CASCADE,
                    item_key TEXT NOT NULL UNIQUE,
                    origin TEXT NOT NULL,
                    detail TEXT,
                    seen_at TEXT NOT NULL
                );
                CREATE INDEX charge_sources_by_charge ON charge_sources(charge_id, origin);
                -- A refund is a charge with a negative amount, linked to the charge it pays back.
                ALTER TABLE charges ADD COLUMN refund_of INTEGER REFERENCES charges(id);
                INSERT INTO charge_sources(charge_id, item_key, origin, detail, seen_at)
                    SELECT id, item_key, origin, description, created_at FROM charges;
                """)
        },
        // 8: exchange rates, dated: a charge converts at the rate of its day (or the nearest
        // earlier one), so totals in the base currency stay what they were when rates are added.
        { db in
            try db.execute(
                """
                CREATE TABLE rates(
                    from_currency TEXT NOT NULL,
                    to_currency TEXT NOT NULL,
                    day TEXT NOT NULL,                 -- YYYY-MM-DD the rate is published for
                    rate TEXT NOT NULL,                -- 1 from_currency = rate to_currency, a decimal as given
                    source TEXT NOT NULL,              -- 'manual', or the file it was imported from
                    PRIMARY KEY (from_currency, to_currency, day)
                ) WITHOUT ROWID;
                -- People data: what the office's directory says of each person (user sync), and when
                -- each seat holder last used the software (usage import).
                ALTER TABLE users ADD COLUMN directory_status TEXT;   -- active, suspended or missing; NULL: never synced
                ALTER TABLE users ADD COLUMN last_sign_in TEXT;       -- the directory's last sign-in, YYYY-MM-DD
                CREATE TABLE usage(
                    license_id INTEGER NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    last_active TEXT,                  -- YYYY-MM-DD; NULL: never used
                    source TEXT NOT NULL,              -- the export's format
                    imported_at TEXT NOT NULL,
                    PRIMARY KEY (license_id, user_id)
                ) WITHOUT ROWID;
                -- Findings about seats: held by people gone (orphaned_seat), unused (inactive_seat),
                -- and more people using a license than it pays for (true_up); and the kinds the
                -- real-world scan raises (unknown_vendor, trial), so adding them needs no rebuild.
                CREATE TABLE findings_v8(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('unmanaged','price_change','duplicate','renewal','unused_seats',
                                                       'orphaned_seat','inactive_seat','true_up','unknown_vendor','trial')),
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','adopted','ignored','resolved')),
                    dedupe_key TEXT NOT NULL UNIQUE,
                    vendor_id INTEGER REFERENCES vendors(id),
                    vendor TEXT,
                    license_id INTEGER REFERENCES licenses(id) ON DELETE SET NULL,
                    charge_id INTEGER REFERENCES charges(id),
                    amount_minor INTEGER,
                    monthly_minor INTEGER,
                    currency TEXT,
                    summary TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved_at TEXT,
                    resolved_by TEXT,
                    note TEXT
                );
                INSERT INTO findings_v8 SELECT * FROM findings;
                DROP TABLE findings;
                ALTER TABLE findings_v8 RENAME TO findings;
                CREATE INDEX findings_by_status ON findings(status, kind);
                """)
        },
        // 9: a charge (and its finding) whose document named no currency: owatch took the
        // ledger's, and says so instead of silently putting it in the ledger's currency. The
        // catalog grew from 136 to 484 vendors: ledgers made before get the new ones (a vendor
        // of the same name the office added itself stays as it is).
        { db in
            try db.execute(
                """
                ALTER TABLE charges ADD COLUMN currency_assumed INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE findings ADD COLUMN currency_assumed INTEGER NOT NULL DEFAULT 0;
                -- Renewal reminders look again after anything that can move a renewal: a license
                -- with a date added, its date, period, end or status changed, or the lead times
                -- (config renewals.notify) set. Kept by triggers, as spend_monthly is, so no write
                -- can forget it (the check's next day lives in meta).
                CREATE TRIGGER renewals_after_license_insert AFTER INSERT ON licenses WHEN NEW.renews_on IS NOT NULL
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                CREATE TRIGGER renewals_after_license_update AFTER UPDATE OF renews_on, period, ends_on, status ON licenses
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                CREATE TRIGGER renewals_after_config_insert AFTER INSERT ON config WHEN NEW.key = 'renewals.notify'
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                CREATE TRIGGER renewals_after_config_update AFTER UPDATE ON config WHEN NEW.key = 'renewals.notify'
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                CREATE TRIGGER renewals_after_config_delete AFTER DELETE ON config WHEN OLD.key = 'renewals.notify'
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                """)
            try SchemaSeed.running().addCatalog(db)
        },
        // 10: seat findings known to be current. A refresh of every held seat records the day it
        // counted from (meta 'seat_findings.current'); any change to what makes a seat orphaned or
        // inactive clears it, by triggers, from any connection. A write that knows the findings
        // were current and which people it changed (a sync) refreshes only their seats.
        { db in
            // (trigger name, event, WHEN clause or ""): each clears the mark.
            let orphaned = { (row: String) in
                "(\(row).status = 'offboarded' OR coalesce(\(row).directory_status, '') IN ('suspended', 'missing'))"
            }
            let seatFinding = "WHEN OLD.kind IN ('orphaned_seat', 'inactive_seat')"
            let triggers: [(String, String, String)] = [
                ("seat_insert", "INSERT ON seats", ""), ("seat_delete", "DELETE ON seats", ""), ("seat_update", "UPDATE ON seats", ""),
                ("usage_insert", "INSERT ON usage", ""), ("usage_delete", "DELETE ON usage", ""), ("usage_update", "UPDATE ON usage", ""),
                (
                    "user_update", "UPDATE OF name, status, directory_status ON users",
                    "WHEN OLD.name IS NOT NEW.name OR \(orphaned("OLD")) != \(orphaned("NEW"))"
                ),
                ("user_delete", "DELETE ON users", ""),
                ("license_update", "UPDATE OF status ON licenses", ""), ("license_delete", "DELETE ON licenses", ""),
                ("purchase_insert", "INSERT ON purchases", ""), ("purchase_delete", "DELETE ON purchases", ""),
                ("purchase_update", "UPDATE ON purchases", ""),
                ("finding_update", "UPDATE OF status, dedupe_key ON findings", seatFinding),
                ("finding_delete", "DELETE ON findings", seatFinding),
            ]
            // A refresh reads open seat findings' keys from the index alone.
            var sql = """
                DROP INDEX IF EXISTS findings_by_status;
                CREATE INDEX IF NOT EXISTS findings_by_status_key ON findings(status, kind, dedupe_key);

                """
            for (name, event, when) in triggers {
                sql +=
                    "CREATE TRIGGER IF NOT EXISTS seat_findings_after_\(name) AFTER \(event) \(when)\n"
                    + "BEGIN DELETE FROM meta WHERE key = 'seat_findings.current'; END;\n"
            }
            try db.execute(sql)
        },
        // 11: the money the ledger adds up is bounded where it is written: the magnitudes of all
        // charges, and of all purchase lines, kept in `money_totals` by triggers that refuse a
        // row taking either past `LedgerTotals.cap`, so no sum over them (the spend_monthly
        // triggers, report aggregates) can overflow 64 bits (issue 29).
        { db in try LedgerTotals.migrate(db) },
        // 12: forwarded receipts are not taken on trust, and a message a scan died reading is
        // skipped from then on (the 'unreadable' kind, issue 29). A charge read from a forward keeps the
        // forwarder's address (charges.forwarded_by); a forwarded credit note, or a forward over
        // config scan.forward_review_above, waits as a 'review' finding holding the charge it
        // would make (findings.pending, JSON), recorded only when an admin accepts it. The
        // findings table is rebuilt for the new kind; its seat-finding triggers come back with it.
        // Safe to run again on a ledger taken back to an older schema (what is there is kept).
        { db in
            func has(_ table: String, _ column: String) throws -> Bool {
                try db.scalar("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", table, column) > 0
            }
            if try !has("charges", "forwarded_by") {
                try db.execute("ALTER TABLE charges ADD COLUMN forwarded_by TEXT;  -- read from a forward: the forwarder's address")
            }
            let seatFinding = "WHEN OLD.kind IN ('orphaned_seat', 'inactive_seat')"
            let triggers = """
                CREATE INDEX IF NOT EXISTS findings_by_status_key ON findings(status, kind, dedupe_key);
                CREATE TRIGGER IF NOT EXISTS seat_findings_after_finding_update AFTER UPDATE OF status, dedupe_key ON findings \(seatFinding)
                BEGIN DELETE FROM meta WHERE key = 'seat_findings.current'; END;
                CREATE TRIGGER IF NOT EXISTS seat_findings_after_finding_delete AFTER DELETE ON findings \(seatFinding)
                BEGIN DELETE FROM meta WHERE key = 'seat_findings.current'; END;
                """
            guard try !has("findings", "pending") else { return try db.execute(triggers) }
            let columns = """
                id, kind, status, dedupe_key, vendor_id, vendor, license_id, charge_id, amount_minor, monthly_minor, currency, summary,
                created_at, resolved_at, resolved_by, note, currency_assumed
                """
            try db.execute(
                """
                CREATE TABLE findings_v12(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('unmanaged','price_change','duplicate','renewal','unused_seats',
                                                       'orphaned_seat','inactive_seat','true_up','unknown_vendor','trial','review',
                                                       'unreadable')),
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','adopted','ignored','resolved')),
                    dedupe_key TEXT NOT NULL UNIQUE,
                    vendor_id INTEGER REFERENCES vendors(id),
                    vendor TEXT,
                    license_id INTEGER REFERENCES licenses(id) ON DELETE SET NULL,
                    charge_id INTEGER REFERENCES charges(id),
                    amount_minor INTEGER,
                    monthly_minor INTEGER,
                    currency TEXT,
                    summary TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved_at TEXT,
                    resolved_by TEXT,
                    note TEXT,
                    currency_assumed INTEGER NOT NULL DEFAULT 0,
                    pending TEXT                                       -- review: the charge it would make, as JSON
                );
                INSERT INTO findings_v12(\(columns)) SELECT \(columns) FROM findings;
                DROP TABLE findings;
                ALTER TABLE findings_v12 RENAME TO findings;

                """ + triggers)
        },
        // 13: what a directory export says a person is, beyond the address: the directory's own id
        // for them (matched before the e-mail, so a changed address is an e-mail change, issue 29)
        // and whether they are a guest of the office rather than one of its people (issue 33).
        // Adds only what is missing: a ledger taken back to an older version keeps its columns.
        { db in
            let columns = Set(try db.query("SELECT name FROM pragma_table_info('users')").map { try $0.text(0) })
            var sql = ""
            if !columns.contains("directory_id") {
                // 'entra:<objectId>', 'google:<Employee ID>', 'okta:<id>', 'scim:<id>'; NULL: none known
                sql += "ALTER TABLE users ADD COLUMN directory_id TEXT;\n"
            }
            if !columns.contains("guest") {
                sql += "ALTER TABLE users ADD COLUMN guest INTEGER NOT NULL DEFAULT 0 CHECK (guest IN (0, 1));\n"
            }
            sql += "CREATE UNIQUE INDEX IF NOT EXISTS users_by_directory_id ON users(directory_id) WHERE directory_id IS NOT NULL;"
            try db.execute(sql)
        },
        // 14: budgets per month (org, department, category or vendor) and the first of two
        // approvals a request above config approval.second_above needs (issue 34). A request
        // with a first approval and still pending is `awaiting_second`. Adds only what is missing.
        { db in
            let columns = Set(try db.query("SELECT name FROM pragma_table_info('requests')").map { try $0.text(0) })
            var sql = """
                CREATE TABLE IF NOT EXISTS budgets(
                    id INTEGER PRIMARY KEY,
                    scope TEXT NOT NULL CHECK (scope IN ('org','dept','category','vendor')),
                    name TEXT NOT NULL,                                -- '' for the org
                    from_month TEXT NOT NULL,                          -- YYYY-MM: in effect from then until a later one
                    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
                    currency TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (scope, name, from_month)
                );

                """
            if !columns.contains("first_approved_by") {
                sql += "ALTER TABLE requests ADD COLUMN first_approved_by INTEGER REFERENCES users(id);\n"
            }
            if !columns.contains("first_approved_at") { sql += "ALTER TABLE requests ADD COLUMN first_approved_at TEXT;\n" }
            try db.execute(sql)
        },
        // 15: contract terms and renewal decisions (issue 34). A license's notice period, postal
        // allowance, renewal mode, fixed-term end, minimum term and the cycle after it, and its
        // own reminder lead times live beside it in `license_terms`; the decision taken for a
        // coming renewal in `license_decisions`. Changing terms re-arms the reminders (the same
        // trigger as migration 9). Self-contained and re-runnable: it creates only what is missing.
        { db in
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS license_terms(
                    license_id INTEGER PRIMARY KEY REFERENCES licenses(id) ON DELETE CASCADE,
                    notice TEXT,                          -- duration: 60d, 3m
                    send_by TEXT,                         -- extra allowance before the notice (post, notary)
                    auto_renew INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1)),
                    term_end TEXT,                        -- YYYY-MM-DD: end of the fixed term
                    minimum_term TEXT,                    -- period: 24m
                    term_start TEXT,                      -- YYYY-MM-DD: where the minimum term counts from
                    then_period TEXT,                     -- renewal cycle after the minimum term or term end
                    leads TEXT                            -- reminder lead times, e.g. 90d,30d (NULL: renewals.notify)
                );
                CREATE TABLE IF NOT EXISTS license_decisions(
                    license_id INTEGER NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
                    renews_on TEXT NOT NULL,              -- the renewal the decision is for
                    decision TEXT NOT NULL CHECK (decision IN ('keep','cancel','renegotiate')),
                    note TEXT,
                    decided_at TEXT NOT NULL,
                    decided_by TEXT NOT NULL,
                    PRIMARY KEY (license_id, renews_on)
                ) WITHOUT ROWID;
                CREATE TRIGGER IF NOT EXISTS renewals_after_terms_insert AFTER INSERT ON license_terms
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                CREATE TRIGGER IF NOT EXISTS renewals_after_terms_update AFTER UPDATE ON license_terms
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                CREATE TRIGGER IF NOT EXISTS renewals_after_terms_delete AFTER DELETE ON license_terms
                BEGIN DELETE FROM meta WHERE key = 'renewals.next_check'; END;
                """)
        },
        // 16: notifications (issue 34). Channels (Slack, Teams, ntfy, webhook, e-mail) and the
        // outbox: one row per (event, subject, day, lead, channel), written in the transaction of
        // its cause, so a key is queued once however many runs see it, and delivered under a lease.
        // Self-contained and re-runnable: it creates only what is missing.
        { db in
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS notify_channels(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    kind TEXT NOT NULL CHECK (kind IN ('slack','teams','ntfy','webhook','email')),
                    target TEXT NOT NULL,                 -- the webhook URL (a secret) or the e-mail address
                    events TEXT NOT NULL,                 -- comma-separated event names
                    created_at TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS outbox(
                    id INTEGER PRIMARY KEY,
                    event TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    day TEXT NOT NULL,
                    lead TEXT NOT NULL DEFAULT '',
                    channel TEXT NOT NULL COLLATE NOCASE,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending','delivering','delivered','failed','stale')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_at TEXT NOT NULL,                -- RFC 3339: not tried before then
                    lease_owner TEXT,                     -- the delivering run's id while status = 'delivering'
                    lease_until TEXT,
                    last_error TEXT,
                    http_status INTEGER,
                    created_at TEXT NOT NULL,
                    delivered_at TEXT,
                    UNIQUE (event, subject, day, lead, channel)
                );
                CREATE INDEX IF NOT EXISTS outbox_due ON outbox(status, next_at);
                """)
        },
        // 17: a license billed by usage (issue 31: AWS, OpenAI, Twilio…) has no seats and is never
        // idle or reclaimable: `billing` says so. Re-runnable: the column is added only when missing.
        { db in
            let columns = Set(try db.query("SELECT name FROM pragma_table_info('licenses')").map { try $0.text(0) })
            if !columns.contains("billing") {
                try db.execute(
                    "ALTER TABLE licenses ADD COLUMN billing TEXT NOT NULL DEFAULT 'seats' CHECK (billing IN ('seats', 'usage'));")
            }
            // Licenses `scan adopt` made of a usage-billed vendor's spend before: one phantom seat, nobody on it.
            let adopted = """
                SELECT l.id FROM licenses l JOIN vendors v ON v.id = l.vendor_id
                WHERE l.billing = 'seats' AND l.notes LIKE 'adopted from scan finding%' AND lower(v.name) = ?
                  AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.license_id = l.id)
                """
            for vendor in try SchemaSeed.running().usageBilled {
                for row in try db.query(adopted, vendor) {
                    let id = try row.integer("id")
                    try db.run("UPDATE licenses SET billing = 'usage', per_seat = 0 WHERE id = ?", id)
                    try db.run("UPDATE purchases SET seats = NULL WHERE license_id = ?", id)
                }
            }
        },
        // 18: a statement line is known by its identity, not by the file it came in (issue 31):
        // the keys scans remembered as `stmt:SOURCE:…` are rewritten without the source; and the
        // card lines of merchants nobody registered are kept, for the recurring-charge detector.
        // Self-contained and re-runnable: it creates only what is missing, rewrites only old keys.
        { db in
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS merchant_lines(
                    key TEXT PRIMARY KEY,                 -- the line's identity (stmt:ACCOUNT:DAY:CUR:MINOR:TEXT:N)
                    merchant TEXT NOT NULL,               -- what its lines are grouped by: quillpad
                    name TEXT NOT NULL,                   -- as shown: Quillpad
                    processor TEXT,                       -- PayPal, Paddle …: who collected for it, if anyone
                    day TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL,        -- spend positive, money back negative
                    currency TEXT NOT NULL,
                    description TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS merchant_lines_by_merchant ON merchant_lines(merchant, currency, day);
                """)
            try SchemaSeed.running().migrateStatementKeys(db)
        },
        // 19: how a charge was read and how sure the reader was (issue 32, "not sure is an answer").
        // Re-runnable: a column is added only when missing; older charges were read before this was kept.
        { db in
            let columns = Set(try db.query("SELECT name FROM pragma_table_info('charges')").map { try $0.text(0) })
            if !columns.contains("read_as") { try db.execute("ALTER TABLE charges ADD COLUMN read_as TEXT;") }
            if !columns.contains("confidence") { try db.execute("ALTER TABLE charges ADD COLUMN confidence REAL;") }
        },
    ]

    package static var currentVersion: Int { migrations.count }
}
