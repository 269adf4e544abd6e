import FoundationEssentials
import OWCore
import OWIdentity

/// Where notifications go: Slack, Teams (Workflows), ntfy, a generic JSON webhook or e-mail.
public enum ChannelKind: String, Sendable, CaseIterable {
    case slack, teams, ntfy, webhook, email
}

/// The events an outbox row can carry (issue 34).
public enum NotifyEvent: String, Sendable, CaseIterable {
    case renewal  // a renewal's (or term end's) lead time reached
    case cancelBy = "cancel-by"  // a cancel-by date's lead time reached
    case finding  // a new scan finding
    case request  // a request waiting for approval
    case approval  // a request approved
    case rejection  // a request rejected
    case digest  // the weekly digest

    public static func parseList(_ text: String) throws -> [NotifyEvent] {
        let names = text.split(separator: ",").map { $0.trimmed(.whitespaces).lowercased() }
        if names == ["all"] { return allCases }
        let events = try names.map { name in
            guard let e = NotifyEvent(rawValue: name) else {
                throw OWError.usage(
                    "unknown event '\(SafeText.visible(String(name.prefix(30))))'",
                    hint: "events: " + allCases.map(\.rawValue).joined(separator: ", ") + ", or all")
            }
            return e
        }
        guard !events.isEmpty else { throw OWError.usage("--events needs at least one event") }
        return allCases.filter(events.contains)
    }
}

/// A configured channel. The target of a webhook is a secret: it is shown only masked.
public struct NotifyChannel: Sendable, FetchableRow {
    public let id: Int64
    public let name: String
    public let kind: ChannelKind
    package let target: String
    public let events: [NotifyEvent]
    public let createdAt: String

    public static let selection = "id, name, kind, target, events, created_at"

    public init(row: Row) throws {
        id = try row.integer(0)
        name = try row.text(1)
        kind = try row.value(2, as: ChannelKind.self)
        target = try row.text(3)
        events = try row.text(4).split(separator: ",").compactMap { NotifyEvent(rawValue: String($0)) }
        createdAt = try row.text(5)
    }

    /// What `notify list` shows: an address whole, a URL as scheme and host only.
    public var masked: String {
        if kind == .email { return target }
        guard let scheme = target.utf8Range(of: "://") else { return "…" }
        let rest = target[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.split(separator: "@").last.map(String.init) ?? ""
        return String(target[..<scheme.upperBound]) + host + "/…"
    }

    public func wants(_ event: NotifyEvent) -> Bool { events.contains(event) }
}

public enum NotifyChannels {
    static let select = "SELECT \(NotifyChannel.selection) FROM notify_channels"

    public static func list(_ db: Database) throws -> [NotifyChannel] {
        try db.fetchAll(NotifyChannel.self, select + " ORDER BY name COLLATE NOCASE")
    }

    public static func get(_ db: Database, _ name: String) throws -> NotifyChannel {
        guard let c = try db.fetchOne(NotifyChannel.self, select + " WHERE name = ?", name) else {
            throw OWError.notFound("notification channel '\(SafeText.visible(String(name.prefix(40))))'", hint: "see `owatch notify list`")
        }
        return c
    }

    /// Adds a channel. `urlFile` holds a webhook's URL (a file only its owner may read, as a
    /// token); `to` an e-mail address.
    public static func add(
        _ session: Session, kind: ChannelKind, name: String, urlFile: String?, to: String?, events: [NotifyEvent]
    ) throws -> NotifyChannel {
        try validateName(name)
        let target: String
        if kind == .email {
            guard let to, urlFile == nil else { throw OWError.usage("an email channel takes --to ADDRESS (and no --url-file)") }
            try Users.validateEmail(to)
            target = to
        } else {
            guard let urlFile, to == nil else { throw OWError.usage("a \(kind.rawValue) channel takes --url-file FILE (and no --to)") }
            target = try readURL(urlFile)
        }
        return try session.write {
            guard try session.db.one("SELECT 1 FROM notify_channels WHERE name = ?", name) == nil else {
                throw OWError.refused("a channel named \(name) exists", hint: "remove it first: owatch notify remove \(name)")
            }
            try session.db.run(
                "INSERT INTO notify_channels(name, kind, target, events, created_at) VALUES (?,?,?,?,?)", name, kind.rawValue, target,
                events.map(\.rawValue).joined(separator: ","), Time.rfc3339(session.now))
            let channel = try get(session.db, name)
            try session.audit(
                "notify.add", "channel:\(name)",
                .obj([
                    ("kind", .string(kind.rawValue)), ("target", .string(channel.masked)),
                    ("events", .array(events.map { .string($0.rawValue) })),
                ]))
            return channel
        }
    }

    /// Removes a channel; what it had still to send is marked failed, never sent elsewhere.
    public static func remove(_ session: Session, _ name: String) throws -> NotifyChannel {
        try session.write {
            let c = try get(session.db, name)
            try session.db.run("DELETE FROM notify_channels WHERE id = ?", c.id)
            try session.db.run(
                "UPDATE outbox SET status = 'failed', last_error = 'channel removed', lease_owner = NULL WHERE channel = ? AND status IN ('pending','delivering')",
                c.name)
            try session.audit("notify.remove", "channel:\(c.name)")
            return c
        }
    }

    static func validateName(_ name: String) throws {
        let ok =
            !name.isEmpty && name.count <= 64
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
            }
        guard ok else { throw OWError.usage("a channel name is 1–64 letters, digits, '.', '-' or '_'") }
    }

    /// The URL in a private file: one line, http or https, no spaces or control characters.
    static func readURL(_ path: String) throws -> String {
        let url = try FileSystem.readSecret(path, what: "URL file", maxBytes: 8192).trimmed(.whitespacesAndNewlines)
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw OWError.badData("the URL file \(path) does not hold an http:// or https:// URL")
        }
        guard url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw OWError.badData("the URL in \(path) holds spaces, control or non-ASCII characters; percent-encode them")
        }
        return url
    }
}
