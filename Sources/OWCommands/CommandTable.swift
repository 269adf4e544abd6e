import OWCLI
import OWKit

/// The table's row types (`Option`, `Argument`, `Access`, `Noun`, `Command`) and its parser and
/// help live in OWCLI, with in-process tests; a command here runs with an `Invocation`.
typealias Command = OWCLI.Command<Invocation>
typealias ParsedLine = OWCLI.ParsedLine<Invocation>

let everyone: Set<Role> = [.admin, .employee, .scanner]
let adminOnly: Set<Role> = [.admin]

/// Other tools' files `license list --format` writes (and `license import --from` reads).
let interchangeFormats = ["snipe-it", "wallos"]

/// Options every command accepts.
enum GlobalOption: String, OptionKeys {
    case remote, ledger, token, key, format, json, columns, wide, quiet, verbose
    case noColor = "no-color"
    case help, version

    var spec: Option {
        switch self {
        case .remote:
            Option(
                value: "URL",
                "run the command on a remote ledger: ssh://[user@]host[:port][/ledger.db] or sudo://account (env OWATCH_REMOTE)")
        case .ledger:
            Option(
                value: "PATH",
                "ledger file, sqlite:FILE, or a postgresql:// URL (env OWATCH_LEDGER; default $XDG_DATA_HOME/owatch/ledger.db)")
        case .token: Option(value: "PATH", "token file (env OWATCH_TOKEN; default $XDG_CONFIG_HOME/owatch/token)")
        case .key: Option(value: "PATH", "issuer private key (env OWATCH_KEY; default $XDG_CONFIG_HOME/owatch/issuer.key)", file: .input)
        case .format:
            Option(
                value: "FORMAT", "output format (env OWATCH_FORMAT); license list also writes snipe-it and wallos files",
                choices: OutputFormat.allCases.map(\.rawValue), alsoAccepts: interchangeFormats)
        case .json: Option("short for --format json")
        case .columns: Option(value: "LIST", "the table's columns, in order, e.g. name,seats,monthly (any key the JSON has)")
        case .wide: Option("tables show every column, whole, even past the terminal's width")
        case .quiet: Option(short: "q", "print only data; no messages")
        case .verbose: Option("after a change, print the changed records as a table too (a --format or --json does as well)")
        case .noColor: Option("no colour even on a terminal (also NO_COLOR)")
        case .help: Option(short: "h", "show help for the command")
        case .version: Option("print the version")
        }
    }
}

let globalOptions = GlobalOption.options

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
    grantNoun,
    migrateNoun,
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
    grantCommands,
    migrateCommands,
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
    static func parse(_ argv: [String]) throws -> ParsedLine {
        try OWError.commandLine { try parse(argv, commands: commandTable, globalOptions: globalOptions) }
    }
}

extension OWCLI.Command where Context == Invocation {
    /// A command with typed options: the table gets `K.options`, the handler a `Call<K>`.
    init<K: OptionKeys>(
        noun: String, verb: String?, summary: String, arguments: [Argument] = [], options: K.Type, access: Access, examples: [String] = [],
        output: @autoclosure @escaping @Sendable () -> [FieldDoc] = [], hidden: Bool = false, issuerKeyStandsIn: Bool = false,
        run: @escaping @Sendable (Call<K>) throws -> Void
    ) {
        self.init(
            noun: noun, verb: verb, summary: summary, arguments: arguments, options: K.options, access: access, examples: examples,
            output: output(), hidden: hidden, issuerKeyStandsIn: issuerKeyStandsIn, run: { try run(Call<K>($0)) })
    }
}
