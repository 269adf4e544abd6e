import FoundationEssentials
import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReaders
import OWReports

extension LedgerServices {
    /// An office ledger's services (issue 30): the audit chain watches every connection and
    /// records migrations; the migrations seed the vendor catalogue and rewrite statement keys.
    /// Given by whoever opens a ledger, so the ledger layer names none of them.
    public static let office = LedgerServices(
        attach: { StateDigest.attach(to: $0) }, stateHolds: { try AuditLog.stateHolds($0) },
        rebase: { try AuditLog.rebase($0, from: $1, to: $2, heldBefore: $3, now: $4) },
        seed: SchemaSeed(
            addCatalog: { try Catalog.addMissing(to: $0) }, usageBilled: Catalog.usageBilled,
            migrateStatementKeys: { try StatementIdentity.migrate($0) }),
        postgresObjects: { PostgresStateRows.schemaObjects(tables: try PostgresStateRows.describedTables($0)) })
}
