import FoundationEssentials
import OWCore
import OWIdentity

extension Vendor {
    /// A catalog vendor that bills by usage: what `scan adopt` makes of its spend has no seats.
    public var usageBilled: Bool { source == "builtin" && Catalog.isUsageBilled(name) }
}

extension Vendor: FetchableRow {
    public static let selection = "id, name, category, domains, aliases, source"

    public init(row: Row) throws {
        self.init(
            id: try row.integer(0), name: try row.text(1), category: try row.text(2),
            domains: try row.text(3).split(separator: ",").map(String.init),
            aliases: try row.text(4).split(separator: ",").map(String.init), source: try row.text(5))
    }
}

public enum Vendors {
    public static func list(_ db: Database, category: String? = nil) throws -> [Vendor] {
        try db.fetchAll(
            Vendor.self,
            "SELECT \(Vendor.selection) FROM vendors WHERE ?1 IS NULL OR category = ?1 COLLATE NOCASE ORDER BY name COLLATE NOCASE",
            category)
    }

    /// Finds a vendor by name or alias, case-insensitively.
    public static func resolve(_ db: Database, _ text: String) throws -> Vendor? {
        let key = text.trimmed(.whitespaces)
        if let vendor = try db.fetchOne(Vendor.self, "SELECT \(Vendor.selection) FROM vendors WHERE name = ?", key) { return vendor }
        return try db.fetchOne(
            Vendor.self,
            "SELECT \(Vendor.selection) FROM vendors WHERE ',' || aliases || ',' LIKE '%,' || lower(?) || ',%' ESCAPE '\\' ORDER BY id LIMIT 1",
            key.replacingAll("\\", with: "\\\\").replacingAll("%", with: "\\%").replacingAll("_", with: "\\_"))
    }

    /// Everything by lower-cased name and alias, for bulk work (import) without a query per row.
    package static func index(_ db: Database) throws -> [String: Vendor] {
        var byKey: [String: Vendor] = [:]
        for v in try list(db) {
            for alias in v.aliases where byKey[alias] == nil { byKey[alias] = v }
        }
        for v in try list(db) { byKey[v.name.lowercased()] = v }
        return byKey
    }

    static func normalizedList(_ items: [String]) -> String {
        items.map { $0.trimmed(.whitespaces).lowercased() }.filter { !$0.isEmpty }.joined(separator: ",")
    }

    package static func validateName(_ name: String) throws {
        let n = name.trimmed(.whitespaces)
        guard !n.isEmpty, n.count <= 100, !n.contains(where: { $0.isNewline }) else {
            throw OWError.usage("a vendor name is 1-100 characters on one line")
        }
    }

    /// Inserts a local vendor; must run inside a write transaction.
    package static func insert(_ db: Database, name: String, category: String?, domains: [String], aliases: [String]) throws -> Vendor {
        try validateName(name)
        if try resolve(db, name) != nil { throw OWError.refused("vendor '\(name)' already exists") }
        try db.run(
            "INSERT INTO vendors(name, category, domains, aliases, source) VALUES (?,?,?,?, 'local')",
            name.trimmed(.whitespaces), (category ?? "other").lowercased(), normalizedList(domains), normalizedList(aliases))
        return try resolve(db, name)!
    }

    public static func add(_ session: Session, name: String, category: String?, domains: [String], aliases: [String]) throws -> Vendor {
        try session.write {
            let v = try insert(session.db, name: name, category: category, domains: domains, aliases: aliases)
            try session.audit(
                "vendor.add", "vendor:\(v.name)",
                .obj([("category", .string(v.category)), ("domains", .array(v.domains.map(JSON.string)))]))
            return v
        }
    }

    /// Edits a vendor; a built-in one becomes local once edited (a rescan of the catalog leaves it alone).
    public static func edit(
        _ session: Session, name: String, newName: String?, category: String?, addDomains: [String], addAliases: [String]
    ) throws -> Vendor {
        try session.write {
            guard let v = try resolve(session.db, name) else {
                throw OWError.notFound("vendor '\(name)'", hint: "see `owatch vendor list`")
            }
            if let newName { try validateName(newName) }
            let domains = Array(Set(v.domains + addDomains.map { $0.lowercased() })).sorted()
            let aliases = Array(Set(v.aliases + addAliases.map { $0.lowercased() })).sorted()
            try session.db.run(
                "UPDATE vendors SET name = ?, category = ?, domains = ?, aliases = ?, source = 'local' WHERE id = ?",
                newName ?? v.name, (category ?? v.category).lowercased(), normalizedList(domains), normalizedList(aliases), v.id)
            try session.audit(
                "vendor.edit", "vendor:\(v.name)",
                .obj([("name", .string(newName ?? v.name)), ("category", .string(category ?? v.category))]))
            return try resolve(session.db, newName ?? v.name)!
        }
    }
}
