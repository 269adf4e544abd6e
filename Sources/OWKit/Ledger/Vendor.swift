import FoundationEssentials

/// A software vendor from the catalog (built in or added locally). In the core because both the readers
/// (which name vendors in documents) and the office (which keeps the catalog) use it.
public struct Vendor: Sendable {
    public let id: Int64
    public let name: String
    public let category: String
    public let domains: [String]
    public let aliases: [String]
    public let source: String

    package init(id: Int64, name: String, category: String, domains: [String], aliases: [String], source: String) {
        self.id = id
        self.name = name
        self.category = category
        self.domains = domains
        self.aliases = aliases
        self.source = source
    }
}
