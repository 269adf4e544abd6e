import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// One charge waiting for an admin: what was read, the amounts it could be, and why it waits.
public struct WaitingReview: Sendable {
    public let finding: Finding
    public let candidates: [Money]
    public let readAs: String?
    public let confidence: String?
    public let why: String
}

/// `scan review`: the review findings that hold a charge, settled by accepting (the amount read,
/// or the one the admin gives) or rejecting. Accepting is `scan adopt` underneath, rejecting `scan ignore`.
public enum ReviewQueue {
    /// The open review findings, oldest first.
    public static func waiting(_ db: Database) throws -> [WaitingReview] {
        try Findings.list(db, includeClosed: false, kind: .review).map { f in
            let pending = try db.one("SELECT pending FROM findings WHERE id = ?", f.id)?.optionalText("pending")
            let json = try pending.map { try JSON.parse($0) }
            var candidates: [Money] = []
            for c in json?["candidates"]?.arrayValue ?? [] {
                guard case .number(let text)? = c["amount"], let code = c["currency"]?.stringValue else { continue }
                if let m = try? MoneyParser.parse("\(text) \(code)", defaultCurrency: try Currency.parse(code)) as Money {
                    candidates.append(m)
                }
            }
            if candidates.isEmpty, let a = f.amount { candidates = [a] }
            var confidence: String? = nil
            if case .number(let t)? = json?["confidence"] { confidence = t }
            return WaitingReview(
                finding: f, candidates: candidates, readAs: json?["read_as"]?.stringValue, confidence: confidence,
                why: json?["why"]?.stringValue ?? f.summary)
        }
    }

    /// Records the charge finding `id` holds, at `amount` when the admin gives one (read as `manual` then).
    public static func accept(_ session: Session, _ id: Int64, amount: Money?) throws -> (Finding, License?) {
        try session.write {
            let f = try Findings.get(session.db, id)
            guard f.kind == .review else {
                throw OWError.refused("finding #\(id) is a \(f.kind.rawValue) finding, not one waiting for review")
            }
            if let amount {
                guard amount.minor != 0 else { throw OWError.usage("an accepted amount is not zero") }
                guard let text = try session.db.one("SELECT pending FROM findings WHERE id = ?", id)?.optionalText("pending"),
                    case .object(let members) = try JSON.parse(text)
                else { throw OWError.refused("finding #\(id) holds no charge to correct") }
                let changed: [String: JSON] = [
                    "amount_minor": .int(amount.minor), "currency": .string(amount.currency.code), "read_as": .string("manual"),
                    "confidence": .number("1"), "currency_assumed": .bool(false),
                ]
                let updated = JSON.object(members.map { JSON.Member($0.key, changed[$0.key] ?? $0.value) })
                try session.db.run("UPDATE findings SET pending = ? WHERE id = ?", updated.encoded(), id)
                try session.audit(
                    "finding.review.correct", "finding:\(id)",
                    .obj([
                        ("read", f.amount.map { .number($0.decimal) } ?? .null), ("amount", .number(amount.decimal)),
                        ("currency", .string(amount.currency.code)),
                    ]))
            }
            return try Findings.adopt(session, id, as: nil)
        }
    }

    /// Drops the charge finding `id` holds, saying why.
    public static func reject(_ session: Session, _ id: Int64, why: String) throws -> Finding {
        try session.write {
            let f = try Findings.get(session.db, id)
            guard f.kind == .review else {
                throw OWError.refused("finding #\(id) is a \(f.kind.rawValue) finding, not one waiting for review")
            }
            return try Findings.ignore(session, id, why: why)
        }
    }

    /// How many charges wait for review (the summary and the dashboard say so).
    public static func count(_ db: Database) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM findings WHERE kind = 'review' AND status = 'open'")
    }
}
