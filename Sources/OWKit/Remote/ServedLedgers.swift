import FoundationEssentials
import OWCore

/// The ledgers `owatch remote-exec` serves. A request's URL may only *choose* one of them; the
/// path opened always comes from here, never from the request, so nobody who can reach the
/// account can make it open a ledger (and run the hooks beside it) of their choosing.
///
/// The account's default ledger is always served. More are named in
/// `$XDG_CONFIG_HOME/owatch/server.conf`, one `ledger = /absolute/path` line each, optionally
/// followed by a `key = /absolute/path` line for that ledger's issuer key (each ledger has its
/// own). Only the account (or root) may own and write that file: an administrator of the host
/// writes it, a request never can.
///
/// A served ledger may be a PostgreSQL database (issue 35): `ledger = postgresql://…` serves it
/// to URLs whose path is its database's (`ssh://owatch@office/office`), and `default = …` (a path
/// or a URL) replaces the account's own ledger file as the one served when a URL names none (the
/// way to serve a PostgreSQL ledger over `sudo://`, which drops the caller's `OWATCH_LEDGER`).
public struct ServedLedgers: Sendable, Equatable {
    public struct Served: Sendable, Equatable {
        public let ledger: String
        public var key: String?  // nil: the account's default issuer key

        /// The path a client's URL names it by: a file's own path; a PostgreSQL ledger's
        /// database (`/office` for `postgresql://…/office?…`), never its host or user.
        public var chosenBy: String {
            guard case .postgres(let url) = LedgerLocation(ledger) else { return ledger }
            let rest = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
            let path = rest.drop(while: { $0 != "/" && $0 != "?" }).prefix(while: { $0 != "?" })
            return path.isEmpty || path == "/" ? "/(no database named)" : String(path)
        }

        /// Where the server's own names for it are, as they may appear in what a command prints,
        /// and what the client is told instead: the URL as written and as shown (password
        /// hidden), its socket folder or host; a file's path and its folder.
        public var serverNames: [(server: String, client: String)] {
            guard case .postgres(let url) = LedgerLocation(ledger) else {
                return [(ledger, "the office ledger"), (Path.deletingLastComponent(ledger), "the office ledger's folder")]
            }
            var names = [(url, "the office ledger"), (LedgerLocation.redact(url), "the office ledger")]
            for host in PostgresURL.hosts(url) where host.count > 1 { names.append((host, "the office ledger's server")) }
            return names
        }
    }

    /// The first is the default, used when the URL names none.
    public let served: [Served]
    public var paths: [String] { served.map(\.ledger) }

    public init(served: [Served]) { self.served = served }

    public static func configPath(environment env: [String: String]) -> String {
        Paths.configDirectory(environment: env) + "/server.conf"
    }

    /// The account's default ledger and those its server.conf adds. An unsafe or malformed
    /// server.conf is an error that names no path: the message goes back to whoever asked.
    public static func load(environment env: [String: String]) throws -> ServedLedgers {
        let own = Paths(environment: env).ledger
        var served = [Served(ledger: normalized(own) ?? own)]
        let config = configPath(environment: env)
        if FileSystem.exists(config) {
            guard FileSystem.untrusted(config) == nil, let data = FileManager.default.contents(atPath: config) else {
                throw OWError(
                    .notPermitted, "this server's owatch configuration is not safe to use, so it serves nothing",
                    hint: "its administrator can see why with `owatch doctor` on the server")
            }
            let (fallback, extras) = try parse(String(decoding: data, as: UTF8.self))
            if let fallback { served = [fallback] }
            for extra in extras where !served.contains(where: { $0.ledger == extra.ledger }) {
                served.append(extra)
            }
        }
        return ServedLedgers(served: served)
    }

    /// `ledger = /path` (or `= postgresql://…`) lines, each maybe followed by `key = /path`, and at
    /// most one `default = …` line (itself maybe followed by its `key`); `#` starts a comment.
    /// Anything else is an error (naming the line number, not its text).
    static func parse(_ text: String) throws -> (fallback: Served?, extras: [Served]) {
        var out: [Served] = []
        var fallbackAt: Int? = nil
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmed(.whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let eq = line.firstIndex(of: "=")
            let name = eq.map { String(line[..<$0].trimmed(.whitespaces)) }
            let value = eq.map { String(line[line.index(after: $0)...].trimmed(.whitespaces)) }
            let names = name == "key" ? value.flatMap(normalized) : value.flatMap(normalizedLedger)
            let fits: Bool
            switch name {
            case "ledger": fits = true
            case "default": fits = fallbackAt == nil
            case "key": fits = out.last?.key == nil && !out.isEmpty
            default: fits = false
            }
            guard let name, let names, fits else {
                throw OWError.badData(
                    "this server's owatch configuration has a malformed line (\(n + 1))",
                    hint: "its administrator can see why with `owatch doctor` on the server")
            }
            if name == "key" {
                out[out.count - 1].key = names
            } else {
                if name == "default" { fallbackAt = out.count }
                out.append(Served(ledger: names))
            }
        }
        guard let fallbackAt else { return (nil, out) }
        var extras = out
        return (extras.remove(at: fallbackAt), extras)
    }

    /// The ledger a request asks for: its URL's path when that is one of these, the default when
    /// it names none. Anything else is refused (exit 77) without being opened or even looked at.
    public func resolve(_ requested: String?) throws -> Served {
        guard let requested else { return served[0] }
        if let wanted = ServedLedgers.normalized(requested), let match = served.first(where: { $0.chosenBy == wanted }) { return match }
        throw OWError(
            .notPermitted, "this server does not serve a ledger at '\(SafeText.visible(requested))'",
            hint: "leave the path out of the URL for the office's ledger (ssh://HOST); "
                + "a server serves only the ledgers its administrator lists in its server.conf")
    }

    /// A served ledger as server.conf names it: a PostgreSQL URL as written (no control
    /// characters), else a normalized absolute path.
    static func normalizedLedger(_ text: String) -> String? {
        guard case .postgres = LedgerLocation(text) else { return normalized(text) }
        return text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) ? nil : text
    }

    /// An absolute path with repeated and trailing slashes and `.` removed; nil when it is not
    /// absolute or climbs with `..` (which is never a served ledger).
    public static func normalized(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.utf8.contains(0) else { return nil }
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { return nil }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// What `doctor` says of server.conf: nil when there is none.
    public static func check(environment env: [String: String]) -> (ok: Bool, detail: String)? {
        let config = configPath(environment: env)
        guard FileSystem.exists(config) else { return nil }
        if let why = FileSystem.untrusted(config) { return (false, why + " (owatch remote-exec serves nothing while it is so)") }
        do {
            let served = try load(environment: env)
            return (true, "\(config) is private; owatch remote-exec serves \(served.paths.count) ledger(s)")
        } catch let e as OWError {
            return (false, "\(config): " + e.message)
        } catch {
            return (false, "\(config): \(error)")
        }
    }
}
