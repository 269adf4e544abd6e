import FoundationEssentials

/// Where owatch keeps things (SPEC §3), resolved once from flags and the environment.
public struct Paths: Sendable {
    public var ledger: String
    public var token: String
    public var issuerKey: String
    /// The ledger is opened for reading only (`ledger.read_url`, a replica for reports).
    public var readOnly = false

    /// Flags win over environment variables, which win over XDG defaults.
    public init(
        ledger: String? = nil, token: String? = nil, key: String? = nil,
        environment env: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let config = Paths.configDirectory(environment: env)
        self.ledger =
            ledger ?? env["OWATCH_LEDGER"].flatMap { $0.isEmpty ? nil : $0 } ?? Paths.dataDirectory(environment: env) + "/ledger.db"
        self.token = token ?? env["OWATCH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? config + "/token"
        self.issuerKey = key ?? env["OWATCH_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? config + "/issuer.key"
    }

    /// `$XDG_CONFIG_HOME/owatch` (default `~/.config/owatch`): the token, the issuer key, and the
    /// client's and server's settings files.
    public static func configDirectory(environment env: [String: String]) -> String {
        let home = env["HOME"] ?? Path.home()
        return (env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config") + "/owatch"
    }

    /// `$XDG_DATA_HOME/owatch` (default `~/.local/share/owatch`): the ledger file by default, and
    /// the files kept beside a server ledger (`Ledger.besidePath`).
    public static func dataDirectory(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = env["HOME"] ?? Path.home()
        return (env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share") + "/owatch"
    }

    public var ledgerDirectory: String { LedgerLocation(ledger).filePath.map(Path.deletingLastComponent) ?? Paths.dataDirectory() }
}
