import Foundation
import OWCLI
import OWKit

enum InitCommand {
    static func run(_ inv: Invocation) throws {
        guard let org = inv.value("org") else {
            throw OWError.usage("owatch init needs --org NAME", hint: "usage: owatch init --org NAME --admin USER [--currency EUR]")
        }
        guard let admin = inv.value("admin") else {
            throw OWError.usage("owatch init needs --admin USER", hint: "usage: owatch init --org NAME --admin USER [--currency EUR]")
        }
        let (ledger, token) = try Setup.initialize(
            paths: inv.paths, org: org, admin: admin, currency: try inv.currency("currency") ?? Currency.parse("EUR"))
        inv.emit(
            Record([
                ("ledger_id", .text(ledger.id)), ("org", .text(ledger.org)), ("currency", .text(ledger.currency)),
                ("ledger", .text(inv.paths.ledger)), ("admin", .text(admin)), ("token_file", .text(inv.paths.token)),
                ("token_expires_at", .text(token.claims.expiresAt)),
                ("issuer_key", .text(inv.paths.issuerKey)),
            ]))
        inv.note("Initialised the \(ledger.org) ledger. \(admin) is admin; their token is in \(inv.paths.token).")
        inv.note("Keep \(inv.paths.issuerKey) private and backed up: it signs every token.")
    }
}

/// `owatch init`: its manual page.
let initNoun = Noun(
    name: "init", summary: "create a new ledger",
    description:
        "Creates the ledger file (refusing to touch an existing one), a ledger id, an Ed25519 issuer key pair, the first admin and that admin's token. The private key is written to the key path as PKCS#8 PEM, mode 0600, in a directory of mode 0700; the public key is stored in the ledger. The token is written to the token path."
)

/// `owatch init …`: its commands, in help order.
let initCommands: [Command] = [
    Command(
        noun: "init", verb: nil, summary: "create a ledger, its issuer key, the first admin and that admin's token",
        options: [
            Option("org", value: "NAME", "the organisation's name (required)"),
            Option("admin", value: "USER", "the first admin's user name (required)"),
            Option("currency", value: "CODE", "the ledger's default ISO 4217 currency (default EUR)"),
        ],
        access: .bootstrap,
        examples: [
            "owatch init --org 'Acme GmbH' --admin alice --currency EUR",
            "owatch --ledger /srv/owatch/ledger.db --key /srv/owatch/issuer.key init --org Acme --admin root",
        ],
        run: InitCommand.run)
]
