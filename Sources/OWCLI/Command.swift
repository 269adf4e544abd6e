/// An option a command accepts. `value` is the placeholder (`PATH`, `N`); nil for a flag.
/// `kind` says what its value must be and `required` that it must be given: the validate step
/// (`Validation`) checks both before the command runs.
public struct Option: Sendable {
    public internal(set) var long: String
    public let short: Character?
    public let value: String?
    public let help: String
    public let choices: [String]
    /// Values accepted besides `choices` but neither offered by completion nor listed (a command checks them).
    public let alsoAccepts: [String]
    public let repeatable: Bool
    /// A file the value names: with `--remote`, read or written on the client (SPEC: remote).
    public let file: FileUse?
    public let kind: ValueKind
    public let required: Requirement?

    public init(
        _ long: String, short: Character? = nil, value: String? = nil, _ help: String, choices: [String] = [], alsoAccepts: [String] = [],
        repeatable: Bool = false, file: FileUse? = nil, kind: ValueKind? = nil, required: Requirement? = nil
    ) {
        self.alsoAccepts = alsoAccepts
        self.long = long
        self.short = short
        self.value = value
        self.help = help
        self.choices = choices
        self.repeatable = repeatable
        self.file = file
        self.kind = kind ?? (value == nil ? .flag : !choices.isEmpty ? .choice : file != nil ? .path : .text)
        self.required = required
    }

    /// An option of an `OptionKeys` enum: its name is the case's raw value.
    public init(
        short: Character? = nil, value: String? = nil, _ help: String, choices: [String] = [], alsoAccepts: [String] = [],
        repeatable: Bool = false, file: FileUse? = nil, kind: ValueKind? = nil, required: Requirement? = nil
    ) {
        self.init(
            "", short: short, value: value, help, choices: choices, alsoAccepts: alsoAccepts, repeatable: repeatable, file: file,
            kind: kind,
            required: required)
    }

    /// The same option under `long` (an `OptionKeys` case's raw value).
    public func named(_ long: String) -> Option {
        var o = self
        o.long = long
        return o
    }
}

/// A positional argument. Optional ones are shown `[NAME]`, variadic `NAME…`.
public struct Argument: Sendable {
    public let name: String
    public var optional = false
    public var variadic = false
    public var choices: [String] = []
    public var file: FileUse?

    public init(name: String, optional: Bool = false, variadic: Bool = false, choices: [String] = [], file: FileUse? = nil) {
        self.name = name
        self.optional = optional
        self.variadic = variadic
        self.choices = choices
        self.file = file
    }

    public var usage: String {
        let base = variadic ? "\(name)…" : name
        return optional ? "[\(base)]" : base
    }
}

/// What the dispatcher sets up before a command runs (git's RUN_SETUP flags).
public enum Access<Role: AccessRole>: Sendable {
    case anyone  // no ledger needed: help, completion
    case bootstrap  // creates the ledger: init
    case ledger  // ledger opened, no session: login, logout
    case roles(Set<Role>)  // a verified token whose role is in the set
}

/// A command: its words, arguments, options, access and examples, and the handler that runs it
/// with the front end's `Context` (owatch's `Invocation`).
public struct Command<Context: CommandContext>: Sendable {
    public let noun: String
    public let verb: String?
    public let summary: String
    public var arguments: [Argument] = []
    /// Its options. Made when asked for, not when the table is: a run reads one command's, and
    /// making every command's (each enum's cases and metadata) was a quarter of `whoami`'s time.
    public var options: [Option] { makeOptions() }
    private let makeOptions: @Sendable () -> [Option]
    public let access: Access<Context.Role>
    public var examples: [String] = []
    /// The keys its rows carry, for the manual page (from the output's `Shape`): only help and
    /// the manual pages ask, so no run builds every command's shapes.
    public var output: [Context.OutputDoc] { makeOutput() }
    private let makeOutput: @Sendable () -> [Context.OutputDoc]
    public var hidden = false
    /// With `--key PATH`, the issuer key stands in for an admin's token (a way back in when
    /// every admin token has expired).
    public var issuerKeyStandsIn = false
    public let run: @Sendable (Context) throws -> Void

    public init(
        noun: String, verb: String?, summary: String, arguments: [Argument] = [],
        options: @autoclosure @escaping @Sendable () -> [Option] = [], access: Access<Context.Role>, examples: [String] = [],
        output: @autoclosure @escaping @Sendable () -> [Context.OutputDoc] = [], hidden: Bool = false, issuerKeyStandsIn: Bool = false,
        run: @escaping @Sendable (Context) throws -> Void
    ) {
        self.noun = noun
        self.verb = verb
        self.summary = summary
        self.arguments = arguments
        self.makeOptions = options
        self.access = access
        self.examples = examples
        self.makeOutput = output
        self.hidden = hidden
        self.issuerKeyStandsIn = issuerKeyStandsIn
        self.run = run
    }

    public var path: String { verb.map { "\(noun) \($0)" } ?? noun }

    public var usage: String {
        var parts = ["owatch", path]
        parts += arguments.map(\.usage)
        if !options.isEmpty { parts.append("[options]") }
        return parts.joined(separator: " ")
    }

    public var roles: Set<Context.Role>? {
        if case .roles(let r) = access { return r }
        return nil
    }
}

/// A top-level word and the manual page that describes it.
public struct Noun: Sendable {
    public let name: String
    public let summary: String
    public let description: String

    public init(name: String, summary: String, description: String) {
        self.name = name
        self.summary = summary
        self.description = description
    }
}

/// What the front end's context is to the table: the roles a token can have (owatch's `Role`) and
/// the doc of one key of a command's output for its manual page (owatch's `FieldDoc`).
public protocol CommandContext {
    associatedtype Role: AccessRole
    associatedtype OutputDoc: Sendable
}

/// A role a command's `Access.roles` names; help lists them in `allCases` order by raw value.
public protocol AccessRole: Hashable, CaseIterable, Sendable, RawRepresentable where RawValue == String {}

/// What a file-naming value is to `--remote`: read on the client and sent, or written there.
public enum FileUse: String, Sendable {
    case input  // read on the client and sent (`-` streams standard input)
    case inputTree  // like input; a directory is sent with everything under it (a Maildir)
    case output  // written on the client, with the mode the command gave it
    case outputDirectory
}

/// A command line that does not fit the table, or a value its kind refuses: the front end reports
/// it as a usage error (exit 64), message and hint as they are.
public struct CommandLineError: Error, Equatable, Sendable {
    public let message: String
    public let hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
