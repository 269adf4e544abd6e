import OWCLI
import OWKit

/// `owatch shell`: its manual page.
let shellNoun = Noun(
    name: "shell", summary: "a login shell that runs only owatch",
    description: """
        Used as the owatch service account's login shell (as owatch-shell, a symbolic link to owatch, or owatch itself): sshd runs SHELL -c COMMAND, and only owatch remote-exec is run; anything else is refused with exit 77, and an interactive login is told what the account is for, like git-shell.
        """
)

/// `owatch shell …`: its commands, in help order.
let shellCommands: [Command] = [
    Command(
        noun: "shell", verb: nil, summary: "a login shell for the owatch account: runs owatch remote-exec, refuses everything else",
        options: ShellOption.self,
        access: .anyone,
        examples: ["ln -s /usr/local/bin/owatch /usr/local/bin/owatch-shell && chsh -s /usr/local/bin/owatch-shell owatch"],
        run: { inv in
            throw SilentExit(
                code: Remote.shell(inv.value(.command).map { ["-c", $0] } ?? [], environment: inv.environment, term: inv.term))
        })
]

/// `owatch shell`'s one option: what sshd passes as `SHELL -c COMMAND`.
enum ShellOption: String, OptionKeys {
    case command

    var spec: Option { Option(short: "c", value: "COMMAND", "the command sshd asks the shell to run") }
}
