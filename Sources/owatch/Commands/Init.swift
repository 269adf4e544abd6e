import OWKit

enum InitCommand {
    static func run(_ inv: Invocation) throws {
        guard let org = inv.value("org") else { throw OWError.usage("owatch init needs --org NAME", hint: "usage: owatch init --org NAME --admin USER [--currency EUR]") }
        guard let admin = inv.value("admin") else { throw OWError.usage("owatch init needs --admin USER", hint: "usage: owatch init --org NAME --admin USER [--currency EUR]") }
        let (ledger, token) = try Setup.initialize(paths: inv.paths, org: org, admin: admin, currency: inv.value("currency") ?? "EUR")
        inv.emit(Record([("ledger_id", .text(ledger.id)), ("org", .text(ledger.org)), ("currency", .text(ledger.currency)),
                         ("ledger", .text(inv.paths.ledger)), ("admin", .text(admin)), ("token_file", .text(inv.paths.token)),
                         ("token_expires_at", .text(Time.rfc3339(Date(timeIntervalSince1970: Double(token.claims.expires))))),
                         ("issuer_key", .text(inv.paths.issuerKey))]))
        inv.note("Initialised the \(ledger.org) ledger. \(admin) is admin; their token is in \(inv.paths.token).")
        inv.note("Keep \(inv.paths.issuerKey) private and backed up: it signs every token.")
    }
}

import Foundation
