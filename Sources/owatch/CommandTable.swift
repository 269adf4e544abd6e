import OWCLI
import OWKit

/// The table's row types (`Option`, `Argument`, `Access`, `Noun`, `Command`) and its parser and
/// help live in OWCLI, with in-process tests; a command here runs with an `Invocation`.
typealias Command = OWCLI.Command<Invocation>
typealias ParsedLine = OWCLI.ParsedLine<Invocation>

let everyone: Set<Role> = [.admin, .employee, .scanner]
let adminOnly: Set<Role> = [.admin]

/// `config … --local`: this computer's client settings, which need no ledger or token.
let localSetting = Option(
    "local", "a setting of this computer's owatch client ($XDG_CONFIG_HOME/owatch/client.conf: remote), not of the ledger")

/// Other tools' files `license list --format` writes (and `license import --from` reads).
let interchangeFormats = ["snipe-it", "wallos"]

/// Options every command accepts.
let globalOptions: [Option] = [
    Option(
        "remote", value: "URL",
        "run the command on a remote ledger: ssh://[user@]host[:port][/ledger.db] or sudo://account (env OWATCH_REMOTE)"),
    Option(
        "ledger", value: "PATH",
        "ledger file, sqlite:FILE, or a postgresql:// URL (env OWATCH_LEDGER; default $XDG_DATA_HOME/owatch/ledger.db)"),
    Option("token", value: "PATH", "token file (env OWATCH_TOKEN; default $XDG_CONFIG_HOME/owatch/token)"),
    Option("key", value: "PATH", "issuer private key (env OWATCH_KEY; default $XDG_CONFIG_HOME/owatch/issuer.key)", file: .input),
    Option(
        "format", value: "FORMAT", "output format (env OWATCH_FORMAT); license list also writes snipe-it and wallos files",
        choices: OutputFormat.allCases.map(\.rawValue), alsoAccepts: interchangeFormats),
    Option("json", "short for --format json"),
    Option("columns", value: "LIST", "the table's columns, in order, e.g. name,seats,monthly (any key the JSON has)"),
    Option("wide", "tables show every column, whole, even past the terminal's width"),
    Option("quiet", short: "q", "print only data; no messages"),
    Option("verbose", "after a change, print the changed records as a table too (a --format or --json does as well)"),
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
    budgetNoun,
    notifyNoun,
    chargeNoun,
    usageNoun,
    rateNoun,
    scanNoun,
    reportNoun,
    exportNoun,
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
    budgetCommands,
    notifyCommands,
    scanCommands,
    usageCommands,
    chargeCommands,
    rateCommands,
    reportCommands,
    exportCommands,
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

/// Help for this table (overview, nouns, commands), for `owatch help`, `--help`, man pages and completions.
let helpText = Help(nouns: nouns, commands: commandTable, globalOptions: globalOptions)

extension Parser {
    /// A command line against owatch's table.
    static func parse(_ argv: [String]) throws -> ParsedLine { try parse(argv, commands: commandTable, globalOptions: globalOptions) }
}
