import FoundationEssentials
import Glibc
import OWCLI
import OWKit

/// owatch: parse → set up what the command's table entry asks for → run → map errors to exit codes.
let version = "0.1.0"

/// One run of owatch, in this process: the binary's `main` and the in-process tests call it. It
/// returns the exit status (it never calls `exit`); `terminal` is where its output goes (default:
/// the process's standard streams).
public func runOwatch(
    _ arguments: [String], invokedAs program: String = "owatch", environment: [String: String], terminal: Terminal? = nil
) -> Int32 {
    var argv = arguments
    // As an account's login shell (`owatch-shell`, or owatch itself): sshd runs `SHELL -c COMMAND`.
    let invokedAs = Path.lastComponent(program).drop { $0 == "-" }
    if invokedAs == "owatch-shell" || (argv.count == 2 && argv[0] == "-c") { argv = ["shell"] + argv }
    var term = terminal ?? Terminal.detect(noColor: argv.contains("--no-color"), environment: environment)
    do {
        try Privileges.refuseElevated()
        if argv.first == "__complete" {
            // Hidden: the shells' completion scripts call it; never an error, never a prompt.
            for candidate in Completions.complete(Array(argv.dropFirst()), environment: environment) { term.out(candidate + "\n") }
            return 0
        }
        let line = try Parser.parse(argv)
        if line.flag(GlobalOption.version) {
            term.out("owatch \(version)\n")
            return 0
        }
        if argv.isEmpty {
            // Like git: a bare `owatch` is a usage error, with the short usage on stderr.
            term.err(helpText.shortUsage())
            return OWError.Kind.usage.rawValue
        }
        guard let command = line.command, !line.flag(GlobalOption.help) else {
            term.out(helpText.text(for: line.command, noun: line.noun))
            return 0
        }
        let format = try outputFormat(line, command, environment: environment)
        if format != .table { term.width = nil }
        if environment["OWATCH_SERVED"] == nil, Remote.runsRemotely(command, line),
            let remote = ClientConfig.remote(flag: line.value(GlobalOption.remote), environment: environment)
        {
            return try Remote.client(line, command, remote: remote, environment: environment)
        }
        let replica = ReadReplica.url(for: command, line, environment: environment)
        var paths = Paths(
            ledger: replica ?? line.value(GlobalOption.ledger), token: line.value(GlobalOption.token), key: line.value(GlobalOption.key),
            environment: environment)
        paths.readOnly = replica != nil
        var session: Session?
        // `config … --local` is this computer's settings: no ledger, no token.
        if let roles = command.roles, !Remote.isClientSetting(command, line) {
            if command.issuerKeyStandsIn && line.value(GlobalOption.key) != nil {
                session = try Session.asIssuer(paths: paths, services: .office)
            } else {
                let s = try ReadReplica.authenticate(&paths, primary: line.value(GlobalOption.ledger), environment: environment, term: term)
                try s.require(roles, for: command.path)
                session = s
                if let warning = (try? s.expiryWarning()) ?? nil { term.err("owatch: warning: \(warning)\n") }
            }
        }
        try OWError.commandLine { try Validation.check(line, for: command, reader: DomainValues()) }
        let inv = Invocation(
            command: command, line: line, term: term, paths: paths, format: format, session: session, environment: environment)
        let changesBefore = session?.db.totalChanges
        try command.run(inv)
        if let error = inv.deferredError { throw error }
        if let session {
            // Only the command's own changes count: the reminders below may write on any command.
            let wrote = session.db.totalChanges != changesBefore
            for warning in Housekeeping.renewalReminders(session) { inv.warn(warning) }
            // A command that changed the ledger delivers what is due; a read-only one never waits on a receiver.
            if wrote, command.noun != "notify" {
                for warning in Delivery.afterWrite(session) { inv.warn(warning) }
            }
        }
        return 0
    } catch let error as OWError {
        term.report(error)
        return error.exitCode
    } catch let exit as SilentExit {
        return exit.code
    } catch {
        term.report(OWError(.io, "\(error)"))
        return OWError.Kind.io.rawValue
    }
}

/// The output format a run asks for: --json, --format or $OWATCH_FORMAT (table when none).
private func outputFormat(_ line: ParsedLine, _ command: Command, environment: [String: String]) throws -> OutputFormat {
    let format: OutputFormat
    if command.options.contains(where: { $0.long == "format" }) {
        // The command's own --format (export journal's hledger|ledger|beancount), not an output format.
        format = line.flag(GlobalOption.json) ? .json : .table
    } else if line.flag(GlobalOption.json) {
        format = .json
    } else if let f = line.value(GlobalOption.format) ?? environment["OWATCH_FORMAT"].flatMap({ $0.isEmpty ? nil : $0 }) {
        if interchangeFormats.contains(f) {
            // Another tool's file, written by `license list` itself (see LicenseCommand.export).
            guard command.noun == "license", command.verb == "list", line.value(GlobalOption.format) == f else {
                throw OWError.usage("--format \(f) is for owatch license list", hint: "formats: table, json, jsonl, csv")
            }
            format = .csv
        } else {
            guard let parsed = OutputFormat(rawValue: f) else {
                throw OWError.usage("unknown format '\(f)'", hint: "formats: table, json, jsonl, csv")
            }
            format = parsed
        }
    } else {
        format = .table
    }
    return format
}
