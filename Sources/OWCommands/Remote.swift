import FoundationEssentials
import Glibc
import OWCLI
import OWKit

/// `owatch --remote URL …` (the client), `owatch remote-exec` and `owatch shell` (the server).
/// Which values name files comes from the command table (`Option.file`, `Argument.file`), so
/// the rule is one mechanism for every command.
enum Remote {
    /// Options that describe this machine's files and are never sent: the ledger is the
    /// remote's, the token travels in the request, and `--remote` ends here.
    static let localOnly: Set<String> = ["remote", "ledger", "token"]

    /// A file-naming value of a command line and its place in the canonical arguments.
    struct FileValue: Equatable {
        let index: Int
        let use: OWChannel.FileUse
        let value: String
    }

    /// The command line in the one form both ends agree on: noun and verb, then every option as
    /// `--name` or `--name=value` in the table's order, then `--` and the positionals.
    static func canonical(_ line: ParsedLine, _ command: Command) -> (arguments: [String], files: [FileValue], readsStdin: Bool) {
        var args = [command.noun] + (command.verb.map { [$0] } ?? [])
        var files: [FileValue] = []
        var readsStdin = false
        let own = Set(command.options.map(\.long))
        for option in globalOptions.filter({ !own.contains($0.long) }) + command.options where !localOnly.contains(option.long) {
            for value in line.options[option.long] ?? [] {
                guard option.value != nil else {
                    args.append("--" + option.long)
                    continue
                }
                if let use = option.file.map(OWChannel.FileUse.init) {
                    if value == "-" { readsStdin = true } else { files.append(FileValue(index: args.count, use: use, value: value)) }
                }
                args.append("--\(option.long)=\(value)")
            }
        }
        args.append("--")
        for (i, value) in line.arguments.enumerated() {
            let spec = i < command.arguments.count ? command.arguments[i] : command.arguments.last
            if let use = spec?.file.map(OWChannel.FileUse.init) {
                if value == "-" { readsStdin = true } else { files.append(FileValue(index: args.count, use: use, value: value)) }
            }
            args.append(value)
        }
        return (args, files, readsStdin)
    }

    /// Whether this command goes to the remote: everything but help and the client's own settings.
    static func runsRemotely(_ command: Command, _ line: ParsedLine) -> Bool {
        if case .anyone = command.access { return false }
        return !isClientSetting(command, line)
    }

    /// `config … --local`: this computer's settings, which need no ledger, token or remote.
    static func isClientSetting(_ command: Command, _ line: ParsedLine) -> Bool {
        command.noun == "config" && line.flag(ConfigCommand.LocalOption.local)
    }

    // MARK: Client

    static func client(_ line: ParsedLine, _ command: Command, remote text: String, environment env: [String: String]) throws -> Int32 {
        let url = try RemoteURL(parsing: text)
        if case .bootstrap = command.access {
            throw OWError.usage(
                "'owatch \(command.path)' creates a ledger on the machine it runs on; it does not run --remote",
                hint: "run it on the server, as the account that will own the ledger")
        }
        if line.value(GlobalOption.ledger) != nil {
            throw OWError.usage(
                "--ledger names a file on this machine; a remote ledger's path goes in the URL", hint: "ssh://host/srv/owatch/ledger.db")
        }
        let (args, files, _) = canonical(line, command)
        var request = RemoteRequest(clientVersion: version, arguments: args)
        request.slots = files.map { RemoteSlot(argument: $0.index, use: $0.use, original: $0.value) }
        let paths = Paths(token: line.value(GlobalOption.token), environment: env)
        request.tokenName = paths.token
        if FileSystem.exists(paths.token) { request.token = try FileSystem.readSecret(paths.token, what: "token", maxBytes: 64 << 10) }
        request.ledger = url.ledger
        for key in RemoteRequest.forwardedEnvironment { if let v = env[key] { request.environment[key] = v } }
        let term = Terminal.detect(noColor: false, environment: env)
        request.stdoutIsTTY = term.isTTY
        request.stderrIsTTY = term.stderrIsTTY
        request.stdinIsTTY = term.stdinIsTTY
        request.width = term.width
        // Standard input goes along when the command reads it (`-` for a file) or may ask a question on a terminal.
        request.streamsStdin = canonical(line, command).readsStdin || term.stdinIsTTY
        try RemoteClient.prepare(&request)
        return try RemoteClient.run(url, request, tokenPath: paths.token, environment: env)
    }

    // MARK: Server

    /// `owatch remote-exec`: one request on standard input, answered on standard output.
    static func serve(environment env: [String: String], term: Terminal) -> Int32 {
        if let original = env["SSH_ORIGINAL_COMMAND"], !isRemoteExec(original) {
            return refuse(original, term: term)
        }
        if isatty(STDIN_FILENO) == 1 {
            term.streams.err(
                Array(
                    """
                    owatch: error: owatch remote-exec answers owatch clients on its standard input, not people
                    hint: from your computer: owatch --remote ssh://\(env["USER"] ?? "owatch")@THIS-HOST whoami

                    """.utf8))
            return OWError.Kind.usage.rawValue
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return RemoteServer.serve(version: version, executable: executable, environment: env) { request in
            let line = try Parser.parse(request.arguments)
            guard let command = line.command else { throw OWError.usage("the request names no command") }
            guard runsRemotely(command, line), !served.contains(command.noun) else {
                throw OWError.refused("'owatch \(command.path)' does not run through a remote", hint: "run it on the server itself")
            }
            if namesServerPath(command, line) {
                throw OWError(
                    .notPermitted, "'owatch \(command.path)' names a path on the server, which a request never may",
                    hint: "run it on the server itself, as its administrator")
            }
            let (args, files, _) = canonical(line, command)
            // Exactly the canonical form, and every file-naming value one the client sent:
            // a request cannot point a command at the server's own files (its issuer key, say).
            guard args == request.arguments,
                files.map({ [$0.index: $0.use] }) == request.slots.map({ [$0.argument: $0.use] })
            else {
                throw OWError.refused("the request is not one an owatch client sends", hint: "use the same owatch version on both ends")
            }
        }
    }

    /// Commands whose value is a path the server would open as itself (a scan source the cron job
    /// reads, the settings that name a folder, program or file: `Config.namesHostPath`) or a place it
    /// would write or connect to (migrate's target): settings of the host, not of a request.
    static func namesServerPath(_ command: Command, _ line: ParsedLine) -> Bool {
        switch command.path {
        case "scan source": return line.arguments.first == "add"
        case "config set": return Config.namesHostPath(line.arguments.first ?? "", line.arguments.dropFirst().first ?? "")
        case "config unset": return Config.namesHostPath(line.arguments.first ?? "", nil)
        case "migrate": return true
        default: return false
        }
    }

    /// Commands that are the remote machinery itself, never run through it.
    static let served: Set<String> = ["remote-exec", "shell", "init", "gen-docs"]

    /// What the client runs: `owatch remote-exec` (the program may be named by a path).
    static func isRemoteExec(_ command: String) -> Bool {
        let words = command.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, words[1] == "remote-exec" else { return false }
        return words[0] == "owatch" || words[0].hasSuffix("/owatch")
    }

    static func refuse(_ command: String, term: Terminal) -> Int32 {
        let shown = SafeText.visible(String(command.prefix(200)))
        term.streams.err(
            Array(
                """
                owatch: error: this account runs only owatch requests, not '\(shown)'
                hint: from your computer: owatch --remote ssh://USER@HOST COMMAND …

                """.utf8))
        return OWError.Kind.notPermitted.rawValue
    }

    /// `owatch shell` (or `owatch-shell`), an account's login shell: `-c 'owatch remote-exec'`
    /// is served, anything else refused, and an interactive login told what the account is for.
    static func shell(_ argv: [String], environment env: [String: String], term: Terminal) -> Int32 {
        guard argv.count == 2, argv[0] == "-c" else {
            if argv.isEmpty {
                term.streams.err(
                    Array(
                        """
                        owatch: this account serves an owatch ledger; it has no interactive shell.
                        hint: from your computer: owatch --remote ssh://\(env["USER"] ?? "owatch")@THIS-HOST whoami

                        """.utf8))
                return OWError.Kind.notPermitted.rawValue
            }
            return refuse(argv.joined(separator: " "), term: term)
        }
        return isRemoteExec(argv[1]) ? serve(environment: env, term: term) : refuse(argv[1], term: term)
    }
}
