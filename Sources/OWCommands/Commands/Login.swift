import FoundationEssentials
import OWCLI
import OWKit

/// login, logout and whoami: the commands about the token you hold.
enum LoginCommand {
    static func login(_ inv: Call<LoginOption>) throws {
        let file = inv.argument(0)
        var text: String?
        if file == "-" {
            // A token is one short line: read a bounded amount, so a stray pipe cannot fill memory.
            let data = inv.term.streams.read(limit: 64 * 1024)
            text = String(decoding: data, as: UTF8.self)
        }
        let claims = try Setup.login(paths: inv.paths, file: file, text: text, services: .office) { installed, new in
            try keepAdminToken(inv, installed: installed, new: new)
        }
        inv.note("Logged in as \(claims.subject) (\(claims.role.rawValue)); token installed at \(inv.paths.token) (mode 0600).")
    }

    /// Replacing an admin token with someone else's (or a lesser one) is asked at a terminal and
    /// refused in a script unless `--replace` says so: the admin token may be the office's only one.
    static func keepAdminToken(_ inv: Call<LoginOption>, installed: Claims, new: Claims) throws {
        if inv.flag(.replace) { return }
        let what = "\(inv.paths.token) holds \(installed.subject)'s admin token"
        let other = "\(new.subject)'s (\(new.role.rawValue))"
        if inv.term.stdinIsTTY && inv.term.stderrIsTTY && inv.argument(0) != "-" {
            inv.term.err("\(what); replace it with \(other)? [y/N] ")
            let answer = (inv.term.readLine() ?? "").trimmed(.whitespaces).lowercased()
            if answer == "y" || answer == "yes" { return }
            throw OWError.refused("not confirmed; \(installed.subject)'s admin token stays installed")
        }
        throw OWError.refused(
            "\(what); logging in would replace it with \(other)",
            hint: "to act as \(new.subject) once: owatch --token FILE COMMAND; to replace it: owatch login --replace FILE")
    }

    static func logout(_ inv: Invocation) throws {
        if try Setup.logout(paths: inv.paths) {
            inv.note("Removed \(inv.paths.token).")
        } else {
            inv.note("No token at \(inv.paths.token); nothing to do.")
        }
    }

    static let identityShape = Session.shape

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
        When the token path already holds a valid admin token and FILE is another person's token or a lesser role's, login asks at a terminal and refuses in a script (exit 1) unless --replace is given, so trying a colleague's token cannot lock the admin out; owatch --token FILE acts as them for one command instead.
        """
)

/// `owatch login …`: its commands, in help order.
let loginCommands: [Command] = [
    Command(
        noun: "login", verb: nil, summary: "verify a token file (or - for standard input) and install it as your token",
        arguments: [Argument(name: "FILE", file: .input)],
        options: LoginCommand.LoginOption.self,
        access: .ledger,
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

extension LoginCommand {
    enum LoginOption: String, OptionKeys {
        case replace

        var spec: Option {
            switch self {
            case .replace:
                Option(
                    "replace an installed admin token with another person's or role's (asked at a terminal; refused in a script without it)"
                )
            }
        }
    }
}
