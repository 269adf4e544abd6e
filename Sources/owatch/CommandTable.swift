import OWKit

/// An option a command accepts. `value` is the placeholder (`PATH`, `N`); nil for a flag.
struct Option: Sendable {
    let long: String
    let short: Character?
    let value: String?
    let help: String
    let choices: [String]
    let repeatable: Bool
    /// A file the value names: with `--remote`, read or written on the client (SPEC: remote).
    let file: FileUse?

    init(
        _ long: String, short: Character? = nil, value: String? = nil, _ help: String, choices: [String] = [], repeatable: Bool = false,
        file: FileUse? = nil
    ) {
        self.long = long
        self.short = short
        self.value = value
        self.help = help
        self.choices = choices
        self.repeatable = repeatable
        self.file = file
    }
}

/// A positional argument. Optional ones are shown `[NAME]`, variadic `NAME…`.
struct Argument: Sendable {
    let name: String
    var optional = false
    var variadic = false
    var choices: [String] = []
    var file: FileUse?

    var usage: String {
        let base = variadic ? "\(name)…" : name
        return optional ? "[\(base)]" : base
    }
}

/// What the dispatcher sets up before a command runs (git's RUN_SETUP flags).
enum Access: Sendable {
    case anyone  // no ledger needed: help, completion
    case bootstrap  // creates the ledger: init
    case ledger  // ledger opened, no session: login, logout
    case roles(Set<Role>)  // a verified token whose role is in the set
}

let everyone: Set<Role> = [.admin, .employee, .scanner]
let adminOnly: Set<Role> = [.admin]

struct Command: Sendable {
    let noun: String
    let verb: String?
    let summary: String
    var arguments: [Argument] = []
    var options: [Option] = []
    let access: Access
    var examples: [String] = []
    var hidden = false
    /// With `--key PATH`, the issuer key stands in for an admin's token (a way back in when
    /// every admin token has expired).
    var issuerKeyStandsIn = false
    let run: @Sendable (Invocation) throws -> Void

    var path: String { verb.map { "\(noun) \($0)" } ?? noun }

    var usage: String {
        var parts = ["owatch", path]
        parts += arguments.map(\.usage)
        if !options.isEmpty { parts.append("[options]") }
        return parts.joined(separator: " ")
    }

    var roles: Set<Role>? {
        if case .roles(let r) = access { return r }
        return nil
    }
}

/// A top-level word and the manual page that describes it.
struct Noun: Sendable {
    let name: String
    let summary: String
    let description: String
    var jsonKeys: [(String, String)] = []
}

/// `config … --local`: this computer's client settings, which need no ledger or token.
let localSetting = Option(
    "local", "a setting of this computer's owatch client ($XDG_CONFIG_HOME/owatch/client.conf: remote), not of the ledger")

/// Options every command accepts.
let globalOptions: [Option] = [
    Option(
        "remote", value: "URL",
        "run the command on a remote ledger: ssh://[user@]host[:port][/ledger.db] or sudo://account (env OWATCH_REMOTE)"),
    Option("ledger", value: "PATH", "ledger file (env OWATCH_LEDGER; default $XDG_DATA_HOME/owatch/ledger.db)"),
    Option("token", value: "PATH", "token file (env OWATCH_TOKEN; default $XDG_CONFIG_HOME/owatch/token)"),
    Option("key", value: "PATH", "issuer private key (env OWATCH_KEY; default $XDG_CONFIG_HOME/owatch/issuer.key)", file: .input),
    Option("format", value: "FORMAT", "output format (env OWATCH_FORMAT)", choices: OutputFormat.allCases.map(\.rawValue)),
    Option("json", "short for --format json"),
    Option("columns", value: "LIST", "the table's columns, in order, e.g. name,seats,monthly (any key the JSON has)"),
    Option("wide", "tables show every column, not just the usual ones"),
    Option("quiet", short: "q", "print only data; no messages"),
    Option("no-color", "no colour even on a terminal (also NO_COLOR)"),
    Option("help", short: "h", "show help for the command"),
    Option("version", "print the version"),
]

/// The nouns in help order (git's thin `commands[]`): each noun's file in `Commands/` declares
/// its manual page and its commands (arguments, options, access, examples) beside their handlers.
let nouns: [Noun] = [
    initNoun,
    userNoun,
    loginNoun,
    logoutNoun,
    whoamiNoun,
    tokenNoun,
    licenseNoun,
    vendorNoun,
    requestNoun,
    approveNoun,
    chargeNoun,
    usageNoun,
    rateNoun,
    scanNoun,
    reportNoun,
    configNoun,
    auditNoun,
    doctorNoun,
    backupNoun,
    remoteExecNoun,
    shellNoun,
    helpNoun,
    completionNoun,
]

/// Every command owatch has, noun by noun. Parsing, help, completions and man pages all read this table.
let commandTable: [Command] = [
    initCommands,
    userCommands,
    loginCommands,
    logoutCommands,
    whoamiCommands,
    tokenCommands,
    licenseCommands,
    vendorCommands,
    requestCommands,
    approveCommands,
    scanCommands,
    usageCommands,
    chargeCommands,
    rateCommands,
    reportCommands,
    configCommands,
    auditCommands,
    doctorCommands,
    backupCommands,
    remoteExecCommands,
    shellCommands,
    helpCommands,
    completionCommands,
    genDocsCommands,
].flatMap { $0 }
