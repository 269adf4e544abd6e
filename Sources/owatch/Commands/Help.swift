import Foundation
import OWKit

enum HelpCommand {
    static func help(_ inv: Invocation) throws {
        let words = inv.arguments
        guard let noun = words.first else { inv.term.out(Help.overview()); return }
        let matches = commandTable.filter { $0.noun == noun && !$0.hidden }
        guard !matches.isEmpty else {
            throw OWError.usage("no help for '\(noun)': not an owatch command",
                                hint: Suggest.nearest(noun, in: Help.nounOrder).map { "did you mean 'owatch help \($0)'?" })
        }
        if words.count > 1, let cmd = matches.first(where: { $0.verb == words[1] }) {
            inv.term.out(Help.commandHelp(cmd))
        } else if matches.count == 1 {
            inv.term.out(Help.commandHelp(matches[0]))
        } else {
            inv.term.out(Help.nounHelp(noun))
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
