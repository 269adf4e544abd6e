import Foundation
import OWCLI
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

    /// The session's token claims; every command that shows one has a verified token.
    static let identityShape = Shape<Session>([
        Field("user", "user name") { .text($0.claims!.subject) },
        Field("role", "role") { .text($0.claims!.role.rawValue) },
        Field("org", "organisation") { .text($0.ledger.org) },
        Field("ledger_id", "ledger UUID") { .text($0.ledger.id) },
        Field("ledger", "ledger path") { .text($0.ledger.path) },
        Field("token_id", "the token's jti") { .text($0.claims!.id) },
        Field("expires_at", "RFC 3339 time", kind: .date) { .text($0.claims!.expiresAt) },
    ])

    static func whoami(_ inv: Invocation) throws {
        let s = inv.session
        inv.emit(s, as: identityShape)
    }
}

/// `owatch login`: its manual page.
let loginNoun = Noun(
    name: "login", summary: "install a token",
    description: """
        Verifies a token file against the ledger (every check of owatch-token(1)) and installs it at the token path with mode 0600.
        FILE may be - for standard input.
        The file's content is checked first (a file that holds no token says so); a valid token in a file others can read is refused with the chmod 600 for that file.
        """
)

/// `owatch login …`: its commands, in help order.
let loginCommands: [Command] = [
    Command(
        noun: "login", verb: nil, summary: "verify a token file (or - for standard input) and install it as your token",
        arguments: [Argument(name: "FILE", file: .input)], access: .ledger,
        examples: ["owatch login ~/Downloads/bob.token", "pbpaste | owatch login -"], run: LoginCommand.login)
]

/// `owatch logout`: its manual page.
let logoutNoun = Noun(
    name: "logout", summary: "remove the installed token",
    description: """
        Removes the token file at the token path.
        It does not revoke the token; an admin does that with owatch token revoke.
        """)

/// `owatch logout …`: its commands, in help order.
let logoutCommands: [Command] = [
    Command(
        noun: "logout", verb: nil, summary: "remove your installed token", access: .ledger,
        examples: ["owatch logout"], run: LoginCommand.logout)
]

/// `owatch whoami`: its manual page.
let whoamiNoun = Noun(
    name: "whoami", summary: "show the current identity",
    description: "Verifies the installed token and shows the user, role, ledger and when the token expires.")

/// `owatch whoami …`: its commands, in help order.
let whoamiCommands: [Command] = [
    Command(
        noun: "whoami", verb: nil, summary: "show who your token says you are", access: .roles(everyone),
        examples: ["owatch whoami", "owatch whoami --json | jq -r .role"], output: LoginCommand.identityShape.docs, run: LoginCommand.whoami
    )
]
