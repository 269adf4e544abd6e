import FoundationEssentials
import OWCore
import OWIdentity

/// One charge waiting for an admin: what was read, the amounts it could be, and why it waits.
public struct WaitingReview: Sendable {
    public let finding: Finding
    public let candidates: [Money]
    public let readAs: String?
    public let confidence: String?
    public let why: String
}

/// `scan review`: the review findings that hold a charge, settled by accepting (the amount read,
/// or the one the admin gives) or rejecting. Accepting is `scan adopt` underneath (so it lives with the adoption, in OWScan), rejecting `scan ignore`.
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
