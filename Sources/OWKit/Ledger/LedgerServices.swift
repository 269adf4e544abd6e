import FoundationEssentials

/// What the ledger needs from the layers above it, passed in by whoever opens one (issue 30):
/// the audit chain's state digest, observed on every connection and carried across a migration,
/// and the rows the schema's migrations seed from the domain (the vendor catalogue, statement
/// keys). The ledger itself knows tables, not what an audit event or a vendor is.
public struct LedgerServices: Sendable {
    /// Watches a new connection's writes, so each audit event records the state after it.
    public var attach: @Sendable (Database) -> Void
    /// Whether the events' recorded state digests hold before a migration; nil when none is recorded.
    public var stateHolds: @Sendable (Database) throws -> Bool?
    /// Records a migration from one schema version to another as an event (digests held before).
    public var rebase: @Sendable (_ db: Database, _ from: Int, _ to: Int, _ heldBefore: Bool, _ now: Date) throws -> Void
    public var seed: SchemaSeed
    /// On PostgreSQL, what the layers above add to a new schema (the state digest's row triggers).
    public var postgresObjects: @Sendable (Database) throws -> [String]

    public init(
        attach: @escaping @Sendable (Database) -> Void, stateHolds: @escaping @Sendable (Database) throws -> Bool?,
        rebase: @escaping @Sendable (Database, Int, Int, Bool, Date) throws -> Void, seed: SchemaSeed,
        postgresObjects: @escaping @Sendable (Database) throws -> [String] = { _ in [] }
    ) {
        self.postgresObjects = postgresObjects
        self.attach = attach
        self.stateHolds = stateHolds
        self.rebase = rebase
        self.seed = seed
    }
}

/// The domain's part of the schema's migrations: what they insert or rewrite by the domain's rules.
public struct SchemaSeed: Sendable {
    /// Adds the built-in vendor catalogue's missing rows.
    public var addCatalog: @Sendable (Database) throws -> Void
    /// The catalogue's vendors billed by usage (lower case), for migration 17.
    public var usageBilled: Set<String>
    /// Rewrites remembered statement-line keys by their identity (migration 18).
    public var migrateStatementKeys: @Sendable (Database) throws -> Void

    public init(
        addCatalog: @escaping @Sendable (Database) throws -> Void, usageBilled: Set<String>,
        migrateStatementKeys: @escaping @Sendable (Database) throws -> Void
    ) {
        self.addCatalog = addCatalog
        self.usageBilled = usageBilled
        self.migrateStatementKeys = migrateStatementKeys
    }

    /// The seed of the migration running now (set by `Ledger.migrate` around each step, so the
    /// migrations stay a plain list of steps).
    @TaskLocal package static var current: SchemaSeed?

    static func running() throws -> SchemaSeed {
        guard let seed = current else { throw OWError.badData("a schema migration ran without the domain's seed") }
        return seed
    }
}
