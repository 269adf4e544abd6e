import FoundationEssentials
import OWCore
import OWIdentity

/// Settings kept in the ledger (`owatch config`). Each key is declared once, with its
/// default and a validator, so `config set` refuses nonsense before it is stored.
public struct ConfigKey: Sendable {
    public let name: String
    public let summary: String
    public let defaultValue: String?
    let normalize: @Sendable (String) throws -> String
    /// Whether a value (nil: unsetting it) names a path the service opens or runs as itself later: a setting
    /// of the host, which a remote request may not make (the office server's check).
    var namesHostPath: @Sendable (String?) -> Bool = { _ in false }
}

public enum Config {
    public static let keys: [ConfigKey] = [
        ConfigKey(
            name: "busy_timeout", summary: "how long a command waits for a busy ledger before exit 75", defaultValue: "5s",
            normalize: { try duration($0, "busy_timeout").description }),
        ConfigKey(
            name: "token.lifetime", summary: "lifetime of newly issued tokens (token.ttl is the same setting)", defaultValue: "90d",
            normalize: { try duration($0, "token.lifetime").description }),
        ConfigKey(
            name: "token.ttl", summary: "the older name of token.lifetime", defaultValue: "90d",
            normalize: { try duration($0, "token.ttl").description }),
        ConfigKey(
            name: "hooks.dir", summary: "directory of hook executables (default: <ledger dir>/hooks)", defaultValue: nil,
            normalize: { v in
                guard !v.isEmpty else { throw OWError.usage("hooks.dir must be a path") }
                return v
            }, namesHostPath: { _ in true }),
        ConfigKey(
            name: "renewals.notify", summary: "lead times at which license-renewing hooks fire", defaultValue: "30d,7d",
            normalize: { v in
                try v.split(separator: ",").map { try duration(String($0), "renewals.notify").description }.joined(separator: ",")
            }),
        ConfigKey(
            name: "leave.allowance", summary: "yearly leave allowance in working days", defaultValue: "25",
            normalize: { v in
                guard let n = Double(v), n >= 0, n <= 366, (n * 2).rounded() == n * 2 else {
                    throw OWError.usage("leave.allowance must be a number of days (halves allowed)")
                }
                return v
            }),
        ConfigKey(
            name: "leave.holidays", summary: "public holidays: dates YYYY-MM-DD separated by commas, or a file with one date per line",
            defaultValue: "",
            normalize: { try Config.normalizeHolidays($0) }, namesHostPath: { $0.map { !Config.isDateList($0) } ?? false }),
        ConfigKey(
            name: "scan.max_message_size", summary: "largest message a scan reads; larger ones are skipped and counted",
            defaultValue: "10240000",
            normalize: { String(try ByteSize.parse($0, "scan.max_message_size")) }),
        ConfigKey(
            name: "scan.message_timeout", summary: "processor time one message may take to read before it is skipped and counted",
            defaultValue: "5s",
            normalize: { try duration($0, "scan.message_timeout").description }),
        ConfigKey(
            name: "price_change.tolerance",
            summary: "how far a charge may differ from the contract's price for its period before it is a price change",
            defaultValue: "1%", normalize: { try percent($0, "price_change.tolerance").text }),
        ConfigKey(
            name: "charges.match_window", summary: "days either side within which a receipt and a statement line are one payment",
            defaultValue: "5d", normalize: { "\(try days($0, "charges.match_window"))d" }),
        ConfigKey(
            name: "scan.forward_review_above",
            summary: "a forwarded receipt over this amount (and any forwarded credit note) waits as a review finding instead of "
                + "becoming a charge; in the base currency (base_currency, else the ledger's) unless it names its own",
            defaultValue: "500", normalize: { try forwardReviewText($0) }),
        ConfigKey(
            name: "scan.review_below",
            summary: "a receipt read with less confidence than this (0 to 1) waits as a review finding instead of becoming a charge",
            defaultValue: "0.5", normalize: { try reviewBelowText($0) }),
        ConfigKey(
            name: "approval.second_above",
            summary: "a software or purchase request costing more than this needs two different admins to approve it; in the base "
                + "currency (base_currency, else the ledger's) unless it names its own; unset: one admin",
            defaultValue: nil,
            normalize: { v in
                let t = v.trimmed(.whitespaces)
                guard (try? forwardReviewText(t)) != nil else {
                    throw OWError.usage(
                        "approval.second_above takes an amount of 0 or more, such as 1000 or '1000 USD', not '\(t.prefix(30))'")
                }
                return try forwardReviewText(t)
            }),
        ConfigKey(
            name: "usage.inactive", summary: "how long a seat may go unused (per usage import) before it is inactive and reclaimable",
            defaultValue: "60d", normalize: { try duration($0, "usage.inactive").description }),
        ConfigKey(
            name: "notify.retry", summary: "how often and over how long a failing notification is tried before it is failed: TRIES/SPAN",
            defaultValue: "5/1d", normalize: { try RetryPolicy.parse($0).description }),
        ConfigKey(
            name: "notify.sendmail", summary: "the sendmail program e-mail notifications are handed to (as sendmail -t -i)",
            defaultValue: "/usr/sbin/sendmail",
            normalize: { v in
                guard v.hasPrefix("/") else { throw OWError.usage("notify.sendmail must be an absolute path") }
                return v
            }, namesHostPath: { _ in true }),
        ConfigKey(
            name: "base_currency", summary: "currency totals are converted to, with explicit rates", defaultValue: nil,
            normalize: { v in
                let c = v.uppercased()
                guard c.count == 3, c.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    throw OWError.usage("base_currency must be an ISO 4217 code such as EUR")
                }
                return c
            }),
    ]

    package static func duration(_ text: String, _ key: String) throws -> Duration {
        guard let d = Duration.parse(text), d.count > 0 else {
            throw OWError.usage("\(key) takes a duration such as 30d, 2w, 3m, 1y, 12h or 10s, not '\(text)'")
        }
        return d
    }

    /// A percentage such as `1%`, `2.5%` or `0`, as an exact fraction and its normal text.
    static func percent(_ text: String, _ key: String) throws -> (value: Rational, text: String) {
        let t = text.trimmed(.whitespaces)
        let body = t.hasSuffix("%") ? String(t.dropLast()) : t
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || (1...4).contains(parts[1].count), let whole = Int64(parts[0]), whole <= 100
        else {
            throw OWError.usage("\(key) takes a percentage such as 1%, 2.5% or 0, not '\(text.prefix(20))'")
        }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        var den: Int64 = 100
        for _ in 0..<fraction.count { den *= 10 }
        let value = Rational((Int64(String(parts[0]) + fraction) ?? 0), den)
        guard value.num <= value.den else { throw OWError.usage("\(key) is at most 100%") }
        return (value, body + "%")
    }

    /// How far a charge may be off the contract before it is a price change (default 1%).
    package static func priceTolerance(_ ledger: Ledger) throws -> Rational {
        try percent(try get(ledger, "price_change.tolerance") ?? "1%", "price_change.tolerance").value
    }

    /// Days either side within which one payment seen in two sources is one charge (default 5).
    package static func matchWindow(_ ledger: Ledger) throws -> Int {
        try days(try get(ledger, "charges.match_window") ?? "5d", "charges.match_window")
    }

    /// `scan.forward_review_above` as stored: an amount of 0 or more, `500` (in the base currency
    /// when it is read) or `1000.00 USD` (a currency of its own).
    static func forwardReviewText(_ text: String) throws -> String {
        let t = text.trimmed(.whitespaces)
        let bad = OWError.usage(
            "scan.forward_review_above takes an amount of 0 or more, such as 500 or '1000 USD', not '\(t.prefix(30))'")
        guard let a = try? MoneyParser.parse(t, defaultCurrency: Currency(code: "EUR", exponent: 2)) as Money,
            let b = try? MoneyParser.parse(t, defaultCurrency: Currency(code: "USD", exponent: 2)) as Money, a.minor >= 0
        else { throw bad }
        // The same currency whatever the default: the text named it.
        return a.currency == b.currency ? "\(a.decimal) \(a.currency.code)" : t
    }

    /// The amount over which a forwarded receipt waits for review (default 500 in the base
    /// currency: config base_currency, else the ledger's).
    package static func forwardReviewAbove(_ ledger: Ledger) throws -> Money {
        let base = try Currency.parse(try get(ledger, "base_currency") ?? ledger.currency)
        return try MoneyParser.parse(try get(ledger, "scan.forward_review_above") ?? "500", defaultCurrency: base)
    }

    /// `scan.review_below` as stored: a number from 0 to 1.
    static func reviewBelowText(_ text: String) throws -> String {
        let t = text.trimmed(.whitespaces)
        guard let v = Double(t), v >= 0, v <= 1 else {
            throw OWError.usage("scan.review_below takes a number from 0 to 1, not '\(t.prefix(30))'")
        }
        return t
    }

    /// The confidence under which a read charge waits for review (default 0.5).
    package static func reviewBelow(_ ledger: Ledger) throws -> Double {
        Double(try reviewBelowText(try get(ledger, "scan.review_below") ?? "0.5")) ?? 0.5
    }

    /// The amount above which a request needs two admins; nil when approval.second_above is unset.
    public static func secondApprovalAbove(_ ledger: Ledger) throws -> Money? {
        guard let text = try get(ledger, "approval.second_above") else { return nil }
        let base = try Currency.parse(try get(ledger, "base_currency") ?? ledger.currency)
        return try MoneyParser.parse(text, defaultCurrency: base)
    }

    /// A number of days from 0 to 31, written `5` or `5d`.
    package static func days(_ text: String, _ key: String) throws -> Int {
        let t = text.trimmed(.whitespaces).lowercased()
        guard let n = Int(t.hasSuffix("d") ? String(t.dropLast()) : t), (0...31).contains(n) else {
            throw OWError.usage("\(key) takes a number of days from 0d to 31d, not '\(text.prefix(20))'")
        }
        return n
    }

    /// Per-person leave allowances: `leave.allowance.NAME`.
    package static let allowancePrefix = "leave.allowance."

    public static func key(_ name: String) throws -> ConfigKey {
        if name.hasPrefix(allowancePrefix), name.count > allowancePrefix.count {
            let base = keys.first { $0.name == "leave.allowance" }!
            return ConfigKey(name: name, summary: "leave allowance of one person", defaultValue: nil, normalize: base.normalize)
        }
        guard let k = keys.first(where: { $0.name == name }) else {
            let suggestion = Suggest.nearest(name, in: keys.map(\.name))
            throw OWError.usage(
                "unknown config key '\(name)'", hint: suggestion.map { "did you mean '\($0)'?" } ?? "see `owatch config list`")
        }
        return k
    }

    /// Whether setting NAME to VALUE (nil: unsetting it) names a path on this host: an unknown name does not
    /// (`config set` refuses it anyway).
    public static func namesHostPath(_ name: String, _ value: String?) -> Bool {
        (try? key(name))?.namesHostPath(value) ?? false
    }

    /// The stored value, or the key's default.
    public static func get(_ ledger: Ledger, _ name: String) throws -> String? {
        let k = try key(name)
        return try ledger.configValue(name) ?? k.defaultValue
    }

    /// What a setting changed besides itself: leave requests whose days were counted again.
    public struct Effect: Sendable {
        public var recomputedLeave: [Int64] = []
        package init() {}
    }

    /// A setting's effects on what is stored, made in its transaction by the layer that owns them
    /// (the requests' layer recounts pending leave when `leave.holidays` changes).
    package typealias Effects = (_ session: Session, _ name: String) throws -> Effect

    package static func set(_ session: Session, _ name: String, _ value: String, applying applied: Effects) throws -> (
        value: String, effect: Effect
    ) {
        let normalized = try key(name).normalize(value)
        if name.hasPrefix(allowancePrefix) { _ = try Users.get(session.db, String(name.dropFirst(allowancePrefix.count))) }
        let effect = try session.write {
            try session.db.run(
                "INSERT INTO config(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", name, normalized)
            let effect = try applied(session, name)
            try session.audit("config.set", "config:\(name)", .obj([("value", .string(normalized))] + effect.details))
            return effect
        }
        return (normalized, effect)
    }

    package static func unset(_ session: Session, _ name: String, applying applied: Effects) throws -> Effect {
        _ = try key(name)
        return try session.write {
            try session.db.run("DELETE FROM config WHERE key = ?", name)
            let effect = try applied(session, name)
            try session.audit("config.unset", "config:\(name)", .obj(effect.details))
            return effect
        }
    }

    /// Every known key with its effective value and whether it was set.
    public static func list(_ ledger: Ledger) throws -> [(key: ConfigKey, value: String?, isSet: Bool)] {
        let stored = Dictionary(try ledger.configValues(), uniquingKeysWith: { a, _ in a })
        let perPerson = stored.keys.filter { $0.hasPrefix(allowancePrefix) }.sorted().compactMap { try? key($0) }
        return (keys + perPerson).map { k in (k, stored[k.name] ?? k.defaultValue, stored[k.name] != nil) }
    }

}

extension Config.Effect {
    package var details: [(String, JSON)] {
        recomputedLeave.isEmpty ? [] : [("recomputed_leave", .array(recomputedLeave.map { JSON.int($0) }))]
    }
}

/// Public holidays (`leave.holidays`): leave counts working days without them.
extension Config {
    /// Accepts `2026-12-24,2026-12-25`, or a path to a file of dates (one per line; text after
    /// the date is a name and ignored; `#` starts a comment). Stores the sorted, checked list.
    /// A value written as dates is never read as a file's name.
    package static func normalizeHolidays(_ value: String) throws -> String {
        var text = value
        if !isDateList(value), FileManager.default.fileExists(atPath: value) {
            guard let data = FileManager.default.contents(atPath: value) else { throw OWError(.io, "cannot read \(value)") }
            text = String(decoding: data, as: UTF8.self)
        }
        var days = Set<String>()
        for (n, raw) in text.split(whereSeparator: { $0 == "\n" || $0 == "," }).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmed(.whitespaces)
            guard !line.isEmpty else { continue }
            let day = String(line.prefix(10))
            guard Time.parseDay(day) != nil else {
                throw OWError.usage("holiday \(n + 1): '\(line.prefix(30))' is not a date (YYYY-MM-DD)")
            }
            days.insert(day)
        }
        return days.sorted().joined(separator: ",")
    }

    /// Written as dates, or as a slip in them (`2026-13-01`): digits, '-', ',' and spaces only.
    static func isDateList(_ value: String) -> Bool {
        value.utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ",")
                || $0 == UInt8(ascii: " ")
        }
    }

    package static func holidays(_ ledger: Ledger) throws -> Set<String> {
        Set((try Config.get(ledger, "leave.holidays") ?? "").split(separator: ",").map(String.init))
    }
}
