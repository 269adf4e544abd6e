import OWText

/// The result of reading argv against the command table.
public struct ParsedLine<Context: CommandContext> {
    public var command: Command<Context>?
    public var noun: String?
    public var arguments: [String] = []
    public var options: [String: [String]] = [:]  // long name → values ("" for flags)

    public init() {}

    func flag(_ name: String) -> Bool { options[name] != nil }
    func value(_ name: String) -> String? { options[name]?.last }
    public func flag<K: OptionKeys>(_ key: K) -> Bool { flag(key.rawValue) }
    public func value<K: OptionKeys>(_ key: K) -> String? { value(key.rawValue) }
    public func values<K: OptionKeys>(_ key: K) -> [String] { options[key.rawValue] ?? [] }
}

/// A hand-written parser driven entirely by the command table: `--opt value`, `--opt=value`,
/// `-o value`, `--` ending options, options before or after positionals.
public enum Parser {
    public static func parse<Context: CommandContext>(_ argv: [String], commands table: [Command<Context>], globalOptions: [Option]) throws
        -> ParsedLine<Context>
    {
        var line = ParsedLine<Context>()
        var positionals: [String] = []
        var i = 0
        var optionsEnded = false

        // A command's own option wins over a global one of the same name (`export journal --format hledger`).
        func optionSet() -> [Option] { (line.command?.options ?? []) + globalOptions }

        while i < argv.count {
            let arg = argv[i]
            i += 1
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") || isNegativeNumber(arg) {
                positionals.append(arg)
                try resolveCommand(&line, &positionals, table: table)
                continue
            }
            if arg == "--" {
                optionsEnded = true
                continue
            }
            // An option right after a noun that is also a command (`owatch scan --dry-run`) belongs to that command.
            if line.command == nil, let noun = positionals.first, positionals.count == 1,
                let bare = table.first(where: { $0.noun == noun && $0.verb == nil })
            {
                line.command = bare
                positionals.removeFirst()
            }
            let (option, inline) = try lookUp(arg, in: optionSet(), command: line.command)
            let name = option.long
            var value = ""
            if let placeholder = option.value {
                if let inline {
                    value = inline
                } else {
                    guard i < argv.count else { throw CommandLineError("--\(name) needs a value (\(placeholder))") }
                    value = argv[i]
                    i += 1
                }
                try checkChoice(value, of: option)
            } else if inline != nil {
                throw CommandLineError("--\(name) takes no value")
            }
            if line.options[name] != nil, !option.repeatable, option.value != nil, !globalOptions.contains(where: { $0.long == name }) {
                throw CommandLineError("--\(name) given twice")
            }
            line.options[name, default: []].append(value)
        }
        if line.command == nil, let noun = positionals.first {
            if line.noun == nil { line.noun = noun }
            if let bare = table.first(where: { $0.noun == noun && $0.verb == nil }) {
                line.command = bare
                positionals.removeFirst()
            }
        }
        line.arguments = positionals
        if let cmd = line.command, !line.flag("help") { try checkArguments(line.arguments, for: cmd) }
        return line
    }

    /// The command the first positionals name, once they do: `noun verb`, or a noun that is a command itself.
    static func resolveCommand<Context: CommandContext>(
        _ line: inout ParsedLine<Context>, _ positionals: inout [String], table: [Command<Context>]
    ) throws {
        guard line.command == nil, let noun = positionals.first else { return }
        let commands = table.filter { $0.noun == noun }
        if commands.isEmpty {
            let names = Array(Set(table.filter { !$0.hidden }.map(\.noun))).sorted()
            throw CommandLineError(
                "'\(noun)' is not an owatch command",
                hint: Suggest.nearest(noun, in: names).map { "did you mean 'owatch \($0)'?" } ?? "see `owatch help`")
        }
        line.noun = noun
        let bare = commands.first(where: { $0.verb == nil })
        if let bare, !commands.contains(where: { $0.verb != nil }) {
            line.command = bare
            positionals.removeFirst()
            return
        }
        guard positionals.count >= 2 else { return }  // `owatch user` alone: noun help; `owatch scan`: decided at the end
        let verb = positionals[1]
        if let bare, !commands.contains(where: { $0.verb == verb }) {
            // `owatch scan mail.mbox`: the bare command, with its arguments.
            line.command = bare
            positionals.removeFirst()
            return
        }
        guard let cmd = commands.first(where: { $0.verb == verb }) else {
            let verbs = commands.filter { !$0.hidden }.compactMap(\.verb)
            throw CommandLineError(
                "'\(verb)' is not an 'owatch \(noun)' command",
                hint: Suggest.nearest(verb, in: verbs).map { "did you mean 'owatch \(noun) \($0)'?" }
                    ?? "one of: \(verbs.joined(separator: ", "))")
        }
        line.command = cmd
        positionals.removeFirst(2)
    }

    /// The option an argument names (`--name`, `--name=value`, `-x`, `-xvalue`), and its inline value.
    static func lookUp<Context: CommandContext>(_ arg: String, in options: [Option], command: Command<Context>?) throws -> (
        option: Option, inline: String?
    ) {
        let name: String
        var inline: String?
        let option: Option?
        if arg.hasPrefix("--") {
            let body = arg.dropFirst(2)
            if let eq = body.firstIndex(of: "=") {
                name = String(body[..<eq])
                inline = String(body[body.index(after: eq)...])
            } else {
                name = String(body)
            }
            option = options.first { $0.long == name }
        } else {
            let chars = Array(arg.dropFirst())
            option = options.first { $0.short == chars[0] }
            name = option?.long ?? String(chars[0])
            if chars.count > 1 { inline = String(chars.dropFirst()) }
        }
        guard let option else {
            let longs = options.map { "--" + $0.long }
            let shown = arg.hasPrefix("--") ? "--" + name : arg
            let scope = command.map { "'owatch \($0.path)'" } ?? "owatch"
            throw CommandLineError(
                "unknown option '\(shown)' for \(scope)",
                hint: Suggest.nearest(shown, in: longs).map { "did you mean '\($0)'?" }
                    ?? "see `owatch \(command.map { $0.path + " " } ?? "")--help`")
        }
        return (option, inline)
    }

    /// A value of an option with choices must be one of them (or of those it also accepts).
    static func checkChoice(_ value: String, of option: Option) throws {
        guard !option.choices.isEmpty, !option.choices.contains(value), !option.alsoAccepts.contains(value) else { return }
        throw CommandLineError(
            "--\(option.long) must be one of \(option.choices.joined(separator: ", ")), not '\(value)'",
            hint: Suggest.nearest(value, in: option.choices).map { "did you mean '\($0)'?" })
    }

    public static func isNegativeNumber(_ s: String) -> Bool {
        s.count > 1 && s.hasPrefix("-") && Double(s.dropFirst()) != nil
    }

    public static func checkArguments<Context: CommandContext>(_ args: [String], for cmd: Command<Context>) throws {
        let required = cmd.arguments.filter { !$0.optional }.count
        let variadic = cmd.arguments.contains { $0.variadic }
        if args.count < required {
            let missing = cmd.arguments[args.count]
            throw CommandLineError("'owatch \(cmd.path)' needs \(missing.name)", hint: "usage: \(cmd.usage)")
        }
        if !variadic, args.count > cmd.arguments.count {
            throw CommandLineError(
                "'owatch \(cmd.path)' takes \(cmd.arguments.isEmpty ? "no arguments" : "\(cmd.arguments.count) argument(s)"); unexpected '\(args[cmd.arguments.count])'",
                hint: "usage: \(cmd.usage)")
        }
        for (spec, value) in zip(cmd.arguments, args) where !spec.choices.isEmpty && !spec.choices.contains(value) {
            throw CommandLineError(
                "\(spec.name) must be one of \(spec.choices.joined(separator: ", ")), not '\(value)'",
                hint: Suggest.nearest(value, in: spec.choices).map { "did you mean '\($0)'?" })
        }
    }
}
