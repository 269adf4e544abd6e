import FoundationEssentials
import OWCLI
import OWKit

/// `owatch scan review`: the charges owatch was not sure of, and settling them.
enum ScanReviewCommand {
    static let waitingShape = WaitingReview.shape

    static func run(_ inv: Call<ReviewOption>) throws {
        guard !inv.arguments.isEmpty else {
            if inv.flag(.accept) || inv.flag(.reject) { throw OWError.usage("name the finding: owatch scan review ID --accept") }
            return inv.emit(try ReviewQueue.waiting(inv.session.db), as: waitingShape)
        }
        let id = try Invocation.id(inv.argument(0), of: "finding")
        let shape = ScanCommand.findingShape.showing(also: ["status", "note"])
        switch (inv.flag(.accept), inv.flag(.reject)) {
        case (true, false):
            var amount: Money? = nil
            if inv.arguments.count > 1 {
                let text = inv.arguments.dropFirst().joined(separator: " ")
                let currency = try Currency.parse(inv.session.ledger.currency)
                amount = try MoneyParser.parse(text, defaultCurrency: currency)
            }
            let (f, l) = try ReviewQueue.accept(inv.session, id, amount: amount)
            inv.emitChanged(f, as: shape)
            inv.note(
                "Accepted finding #\(f.id): charge #\(f.chargeID.map(String.init) ?? "?")" + (l.map { " pays for \($0.name)." } ?? "."))
        case (false, true):
            guard let why = inv.value(.message) else { throw OWError.usage("say why: owatch scan review ID --reject -m WHY") }
            guard inv.arguments.count == 1 else { throw OWError.usage("--reject takes no amount") }
            let f = try ReviewQueue.reject(inv.session, id, why: why)
            inv.emitChanged(f, as: shape)
            inv.note("Rejected finding #\(f.id): \(why).")
        default:
            throw OWError.usage("say what to do with finding #\(id): --accept [AMOUNT CURRENCY] or --reject -m WHY")
        }
    }
}
