import OWCLI
import OWKit

/// `owatch remote-exec`: its manual page.
let remoteExecNoun = Noun(
    name: "remote-exec", summary: "serve one remote request (the server side of --remote)",
    description: """
        Reads one owatch remote request on standard input and answers it on standard output: the command runs as this account, on its ledger, with the client's token, files and terminal.
        It is what ssh runs for owatch --remote ssh://HOST (put restrict,command="owatch remote-exec" before each key in the service account's authorized_keys; restrict is required, or port forwarding stays open) and what sudo runs for --remote sudo://ACCOUNT.
        It serves only this account's own ledger and those its administrator lists in $XDG_CONFIG_HOME/owatch/server.conf (ledger = /path lines, each maybe followed by key = /path for that ledger's issuer key; the file must belong to the account or root and be writable by nobody else). The path of a --remote URL only chooses among them: any other is refused with exit 77 and never opened.
        Under a forced command any other command (SSH_ORIGINAL_COMMAND) is refused with exit 77.
        A request is refused unless it is exactly what an owatch client sends: file-naming values must be files the client sent, never paths on the server, and a folder only where the command reads one; init does not run remotely.
        Uploads are written private and never executable, a request that sends nothing for 10 s is dropped, the working directory is removed on every way out (signals included), and no server path appears in what is sent back.
        The protocol is versioned: the first frame says this owatch's version and protocol, and a mismatch says which end to upgrade.
        See the README's Office server section.
        """
)

/// `owatch remote-exec …`: its commands, in help order.
let remoteExecCommands: [Command] = [
    Command(
        noun: "remote-exec", verb: nil,
        summary: "answer one `owatch --remote` request on standard input (the server side; used by ssh and sudo)",
        access: .anyone,
        examples: [
            "restrict,command=\"owatch remote-exec\" ssh-ed25519 AAAA… bob@laptop   (a line of the owatch account's authorized_keys)"
        ],
        run: { inv in throw SilentExit(code: Remote.serve(environment: inv.environment, term: inv.term)) })
]
