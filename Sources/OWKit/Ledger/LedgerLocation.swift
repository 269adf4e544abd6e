import FoundationEssentials

/// Where a ledger lives: a SQLite file (a path, or `sqlite:FILE` to say so explicitly) or a
/// PostgreSQL database (`postgresql://…` or `postgres://…`, libpq's own URI syntax, issue 35).
public enum LedgerLocation: Equatable, Sendable {
    case sqlite(path: String)
    case postgres(url: String)

    public init(_ text: String) {
        if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    public static func isURL(_ text: String) -> Bool {
        if case .postgres = LedgerLocation(text) { return true }
        return text.hasPrefix("sqlite:")
    }

    /// The file path of a SQLite ledger (nil for a server ledger).
    public var filePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// How the location is shown in every message, note and audit detail: a URL's password is
    /// never printed (`postgresql://owatch:***@db/office`), nor a `password=` query parameter.
    public var display: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return LedgerLocation.redact(url)
        }
    }

    /// A URL without its password (user info or `password=`), and the password, percent-decoded:
    /// what a child program (pg_dump) is given as its argument and in `PGPASSWORD`.
    public static func splitPassword(_ url: String) -> (url: String, password: String?) {
        let redacted = redact(url)
        guard redacted != url else { return (url, nil) }
        let secret = PostgresStorage.passwords(in: url).first ?? ""
        var bare = redacted.replacingAll(":***@", with: "@")
        for separator in ["?", "&"] { bare = bare.replacingAll(separator + "password=***", with: separator) }
        bare = bare.replacingAll("?&", with: "?").replacingAll("&&", with: "&")
        while bare.hasSuffix("&") || bare.hasSuffix("?") { bare.removeLast() }
        return (bare, percentDecoded(secret))
    }

    static func percentDecoded(_ text: String) -> String { String(decoding: Substring(text).percentDecodedBytes, as: UTF8.self) }

    /// `scheme://user:secret@host…` → `scheme://user:***@host…`; `password=secret` → `password=***`.
    public static func redact(_ url: String) -> String {
        let chars = Array(url)
        guard let colon = chars.firstIndex(of: ":"), chars[colon...].starts(with: Array("://")) else { return url }
        var out = Array(chars[..<(colon + 3)])
        var i = colon + 3
        let authorityEnd = chars[i...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? chars.count
        if let at = chars[i..<authorityEnd].lastIndex(of: "@") {
            if let pw = chars[i..<at].firstIndex(of: ":") {
                out += chars[i...pw] + Array("***")
            } else {
                out += chars[i..<at]
            }
            i = at
        }
        // A password given as a query parameter (`?password=…`), any case.
        let key = Array("password=")
        while i < chars.count {
            let rest = chars[i...]
            let atKey =
                (i == 0 || chars[i - 1] == "?" || chars[i - 1] == "&")
                && rest.count >= key.count && String(rest.prefix(key.count)).lowercased() == "password="
            if atKey {
                out += rest.prefix(key.count) + Array("***")
                i = chars[(i + key.count)...].firstIndex(of: "&") ?? chars.count
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return String(out)
    }
}
