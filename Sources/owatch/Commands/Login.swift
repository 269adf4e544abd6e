import Foundation
import OWKit

/// login, logout and whoami: the commands about the token you hold.
enum LoginCommand {
    static func login(_ inv: Invocation) throws {
        let file = inv.argument(0)
        var text: String?
        if file == "-" {
            // A token is one short line: read a bounded amount, so a stray pipe cannot fill memory.
            let data = FileHandle.standardInput.readData(ofLength: 64 * 1024)
            text = String(decoding: data, as: UTF8.self)
        }
        let claims = try Setup.login(paths: inv.paths, file: file, text: text)
        inv.note("Logged in as \(claims.subject) (\(claims.role.rawValue)); token installed at \(inv.paths.token) (mode 0600).")
    }

    static func logout(_ inv: Invocation) throws {
        if try Setup.logout(paths: inv.paths) {
            inv.note("Removed \(inv.paths.token).")
        } else {
            inv.note("No token at \(inv.paths.token); nothing to do.")
        }
    }

    static func whoami(_ inv: Invocation) throws {
        let s = inv.session
        let claims = s.claims!
        inv.emit(Record([("user", .text(claims.subject)), ("role", .text(claims.role.rawValue)), ("org", .text(s.ledger.org)),
                         ("ledger_id", .text(s.ledger.id)), ("ledger", .text(s.ledger.path)), ("token_id", .text(claims.id)),
                         ("expires_at", .text(Time.rfc3339(Date(timeIntervalSince1970: Double(claims.expires)))))]))
    }
}
