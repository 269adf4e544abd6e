import OWText

/// Help, completions and man pages, all generated from the command table so they cannot drift.
public struct Help<Context: CommandContext>: Sendable {
    public let nouns: [Noun]
    public let commands: [Command<Context>]
    public let globalOptions: [Option]

    public init(nouns: [Noun], commands: [Command<Context>], globalOptions: [Option]) {
        self.nouns = nouns
        self.commands = commands
        self.globalOptions = globalOptions
    }

    public var visible: [Command<Context>] { commands.filter { !$0.hidden } }
    public var nounOrder: [String] {
        var seen = Set<String>()
        return visible.map(\.noun).filter { seen.insert($0).inserted }
    }

    public func text(for command: Command<Context>?, noun: String?) -> String {
        if let command { return commandHelp(command) }
        if let noun, visible.contains(where: { $0.noun == noun }) { return nounHelp(noun) }
        return overview()
    }

    public func overview() -> String {
        var out = "owatch — software spend, seats, requests and approvals for a small office\n\n"
        out += "usage: owatch <command> [<verb>] [arguments] [options]\n\ncommands:\n"
        let width = (visible.map { $0.path.count }.max() ?? 0) + 2
        for c in visible { out += "  " + c.path.paddedUTF16(to: width) + c.summary + "\n" }
        out += "\nglobal options:\n" + optionLines(globalOptions)
        out += "\nRun `owatch help COMMAND` or `owatch COMMAND --help` for details.\n"
        return out
    }

    /// What a bare `owatch` prints: the shape of a command line and where to read more.
    public func shortUsage() -> String {
        "usage: owatch <command> [<verb>] [arguments] [options]\n\n"
            + "commands: " + nounOrder.joined(separator: ", ") + "\n\n"
            + "Run `owatch help` for every command, `owatch help COMMAND` for one.\n"
    }

    public func nounHelp(_ noun: String) -> String {
        let cmds = visible.filter { $0.noun == noun }
        var out = "usage: owatch \(noun) <verb> [arguments] [options]\n\n"
        if let n = nouns.first(where: { $0.name == noun }) { out += n.summary + "\n\n" }
        out += "verbs:\n"
        let width = (cmds.compactMap { $0.verb?.count }.max() ?? 0) + 2
        for c in cmds { out += "  " + (c.verb ?? "").paddedUTF16(to: width) + c.summary + "\n" }
        return out
    }

    public func commandHelp(_ c: Command<Context>) -> String {
        var out = "usage: \(c.usage)\n\n\(c.summary)\n"
        if let roles = c.roles, roles != Set(Context.Role.allCases) {
            out += "needs role: " + Context.Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: " or ") + "\n"
        }
        if !c.options.isEmpty { out += "\noptions:\n" + optionLines(c.options) }
        if !c.examples.isEmpty { out += "\nexamples:\n" + c.examples.map { "  $ \($0)\n" }.joined() }
        out += "\nGlobal options (--format, --json, --ledger, --token, -q, --no-color) work everywhere; see `owatch help`.\n"
        return out
    }

    public func optionLines(_ options: [Option]) -> String {
        let labels = options.map { o -> String in
            (o.short.map { "-\($0), " } ?? "    ") + "--" + o.long + (o.value.map { " \($0)" } ?? "")
        }
        let width = (labels.map(\.count).max() ?? 0) + 2
        return zip(labels, options).map { label, o in
            "  " + label.paddedUTF16(to: width) + o.help
                + (o.choices.isEmpty ? "" : " [\(o.choices.joined(separator: "|"))]") + "\n"
        }.joined()
    }
}
