import FoundationEssentials
import OWCLI
import OWKit

enum HelpCommand {
    static func help(_ inv: Invocation) throws {
        let words = inv.arguments
        guard let noun = words.first else {
            inv.term.out(helpText.overview())
            return
        }
        let matches = commandTable.filter { $0.noun == noun && !$0.hidden }
        guard !matches.isEmpty else {
            throw OWError.usage(
                "no help for '\(noun)': not an owatch command",
                hint: Suggest.nearest(noun, in: helpText.nounOrder).map { "did you mean 'owatch help \($0)'?" })
        }
        if words.count > 1, let cmd = matches.first(where: { $0.verb == words[1] }) {
            inv.term.out(helpText.commandHelp(cmd))
        } else if matches.count == 1 {
            inv.term.out(helpText.commandHelp(matches[0]))
        } else {
            inv.term.out(helpText.nounHelp(noun))
        }
    }

    static func completion(_ inv: Invocation) throws {
        inv.term.out(Completions.script(for: inv.argument(0)))
    }

    /// Writes man/ and completions/ under DIR; the tests compare them with the committed files.
    static func generateDocs(_ inv: Invocation) throws {
        let dir = inv.argument(0)
        try FileSystem.makeDirectory(dir + "/man", mode: 0o755)
        try FileSystem.makeDirectory(dir + "/completions", mode: 0o755)
        for page in ManPages.all() { try FileSystem.writeAtomically(dir + "/man/" + page.file, contents: page.text, mode: 0o644) }
        for (shell, file) in [("bash", "owatch.bash"), ("zsh", "_owatch"), ("fish", "owatch.fish")] {
            try FileSystem.writeAtomically(dir + "/completions/" + file, contents: Completions.script(for: shell), mode: 0o644)
        }
    }
}

/// `owatch help`: its manual page.
let helpNoun = Noun(name: "help", summary: "show help", description: "Shows the command overview, or the help of one command.")

/// `owatch help …`: its commands, in help order.
let helpCommands: [Command] = [
    Command(
        noun: "help", verb: nil, summary: "show help for owatch or a command",
        arguments: [Argument(name: "COMMAND", optional: true, variadic: true)], access: .anyone,
        examples: ["owatch help", "owatch help user add"], run: HelpCommand.help)
]

/// `owatch completion`: its manual page.
let completionNoun = Noun(
    name: "completion", summary: "shell completion",
    description: """
        Prints the completion script for bash, zsh or fish.
        The scripts ask the binary itself (the hidden owatch __complete WORD..., one candidate per line, or __files__ for file names), so they complete license and user names, request and finding ids and every option's values from the ledger, as far as your token may read them; options and arguments naming files complete file names, and global options such as --token may come first.
        """
)

/// `owatch completion …`: its commands, in help order.
let completionCommands: [Command] = [
    Command(
        noun: "completion", verb: nil, summary: "print a shell completion script",
        arguments: [Argument(name: "SHELL", choices: ["bash", "zsh", "fish"])], access: .anyone,
        examples: ["owatch completion bash > /etc/bash_completion.d/owatch", "owatch completion zsh > \"${fpath[1]}/_owatch\""],
        run: HelpCommand.completion)
]

/// `owatch gen-docs …`: its commands, in help order.
let genDocsCommands: [Command] = [
    Command(
        noun: "gen-docs", verb: nil, summary: "write the man pages and completion files (for maintainers)",
        arguments: [Argument(name: "DIR")], access: .anyone, hidden: true, run: HelpCommand.generateDocs)
]
