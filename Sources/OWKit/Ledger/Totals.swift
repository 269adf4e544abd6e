/// A bound on the money the ledger adds up (issue 29). A single amount is capped at
/// `Money.maxMinor`, but sums were not: 9,400 statement lines of the largest amount made the
/// `spend_monthly` triggers overflow into REAL, and every report after that failed.
///
/// The magnitudes of all charges together, and of all purchase lines together, are kept in
/// `money_totals` by triggers and may not pass `cap`: any sum over any subset of them — a month,
/// a vendor, a category, the whole ledger, in SQL or in Swift — then fits 64 bits with room to
/// spare (weekly contracts counted 52/12 times a month, the three columns of a burn report). A
/// write that would pass it is refused by the trigger, from any connection and any code path,
/// before it changes anything; owatch reports it as bad data (exit 65).
public enum LedgerTotals {
    /// 10^18 minor units: 10 quadrillion in a currency with cents, a thousand of the largest amounts.
    public static let cap: Int64 = 1_000_000_000_000_000_000

    /// What the triggers raise, and what each means.
    static let chargesMarker = "owatch:total:charges"
    static let purchasesMarker = "owatch:total:purchases"

    static let chargesMessage =
        "recording this charge would take the ledger's charges past \(capText) in all, the most owatch adds up; it was not recorded"
    static let purchasesMessage =
        "this purchase line would take the ledger's license costs past \(capText) in all, the most owatch adds up; nothing was changed"

    static var capText: String { "1,000,000,000,000,000,000 minor units (10,000,000,000,000,000.00 in a currency with cents)" }

    /// The error a trigger's RAISE message stands for, if it is one of ours.
    package static func error(forSQLiteMessage message: String) -> OWError? {
        if message.contains(chargesMarker) { return OWError.badData(chargesMessage) }
        if message.contains(purchasesMarker) { return OWError.badData(purchasesMessage) }
        return nil
    }

    /// Whether `error` is a charge refused for taking the ledger's charges past the cap.
    public static func isChargesOverflow(_ error: Error) -> Bool {
        (error as? OWError).map { $0.kind == .badData && $0.message == chargesMessage } ?? false
    }

    /// Migration 11: the table, its starting totals (a ledger that already overflowed starts at
    /// the cap: nothing more is added until charges are removed) and the triggers. Safe to run
    /// again on a ledger taken back to an older schema: the totals are recomputed.
    package static func migrate(_ db: Database) throws {
        func triggers(_ what: String, table: String, column: String, marker: String) -> String {
            let total = "(SELECT abs_minor FROM money_totals WHERE what = '\(what)')"
            let over = "typeof(NEW.\(column)) != 'integer' OR NEW.\(column) < -\(Money.maxMinor) OR NEW.\(column) > \(Money.maxMinor)"
            return """
                INSERT OR REPLACE INTO money_totals(what, abs_minor)
                    SELECT '\(what)', CAST(min(total(abs(\(column))), \(cap)) AS INTEGER) FROM \(table);
                CREATE TRIGGER IF NOT EXISTS \(table)_total_before_insert BEFORE INSERT ON \(table)
                    WHEN \(over) OR \(total) + abs(NEW.\(column)) > \(cap)
                BEGIN SELECT RAISE(ABORT, '\(marker)'); END;
                CREATE TRIGGER IF NOT EXISTS \(table)_total_after_insert AFTER INSERT ON \(table)
                BEGIN UPDATE money_totals SET abs_minor = abs_minor + abs(NEW.\(column)) WHERE what = '\(what)'; END;
                CREATE TRIGGER IF NOT EXISTS \(table)_total_before_update BEFORE UPDATE OF \(column) ON \(table)
                    WHEN \(over) OR \(total) - abs(OLD.\(column)) + abs(NEW.\(column)) > \(cap)
                BEGIN SELECT RAISE(ABORT, '\(marker)'); END;
                CREATE TRIGGER IF NOT EXISTS \(table)_total_after_update AFTER UPDATE OF \(column) ON \(table)
                BEGIN UPDATE money_totals SET abs_minor = abs_minor - abs(OLD.\(column)) + abs(NEW.\(column)) WHERE what = '\(what)'; END;
                CREATE TRIGGER IF NOT EXISTS \(table)_total_after_delete AFTER DELETE ON \(table)
                BEGIN UPDATE money_totals SET abs_minor = abs_minor - abs(OLD.\(column)) WHERE what = '\(what)'; END;

                """
        }
        try db.execute(
            "CREATE TABLE IF NOT EXISTS money_totals(what TEXT PRIMARY KEY, abs_minor INTEGER NOT NULL) WITHOUT ROWID;\n"
                + triggers("charges", table: "charges", column: "amount_minor", marker: chargesMarker)
                + triggers("purchases", table: "purchases", column: "cost_minor", marker: purchasesMarker))
    }

    /// PostgreSQL only: a row trigger that checks the kept total after it has grown. There, AFTER
    /// row triggers fire at the end of the statement, so a multi-row INSERT passes every BEFORE check
    /// against the total as it was; this one (named to fire after the totals' own) refuses the
    /// statement at the first row past the cap, before any sum can overflow (spend_monthly's are
    /// at most the total). SQLite fires each row's triggers before the next row's checks.
    package static func postgresBounds() -> [String] {
        [("charges", "charges", "amount_minor", chargesMarker), ("purchases", "purchases", "cost_minor", purchasesMarker)].flatMap {
            bound in
            let (what, table, column, marker) = bound
            return [
                """
                CREATE FUNCTION \(table)_total_bound_fn() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
                IF (SELECT abs_minor FROM money_totals WHERE what = '\(what)') > \(cap) THEN RAISE EXCEPTION '\(marker)'; END IF;
                RETURN NULL; END $fn$
                """,
                "CREATE TRIGGER \(table)_total_bound AFTER INSERT OR UPDATE OF \(column) ON \(table) "
                    + "FOR EACH ROW EXECUTE FUNCTION \(table)_total_bound_fn()",
            ]
        }
    }

    /// The kept totals against a recomputation from the rows (`doctor`): the names of those that differ.
    public static func mismatches(_ db: Database) throws -> [String] {
        var out: [String] = []
        for (what, table, column) in [("charges", "charges", "amount_minor"), ("purchases", "purchases", "cost_minor")] {
            let kept = try db.one("SELECT abs_minor FROM money_totals WHERE what = ?", what)?.lenientOptionalInteger("abs_minor")
            // In 128 bits: a ledger that overflowed before this bound existed is counted, not a trap.
            var fresh: Int128 = 0
            try db.forEach("SELECT abs(\(column)) AS m FROM \(table)") { fresh += Int128($0.lenientInteger("m")) }
            if kept != min(fresh, Int128(cap)).asInt64 { out.append(what) }
        }
        return out
    }
}

extension Int128 {
    fileprivate var asInt64: Int64? { Int64(exactly: self) }
}
