import FoundationEssentials
import OWCLI
import OWKit

/// Everything one command run needs: its parsed line, where output goes, the paths,
/// and (for commands that need one) the verified session the dispatcher opened.
/// A command reads its own options through `Call<K>` (below), typed by its `OptionKeys` enum;
/// an `Invocation` reads only the global ones.
class Invocation {
    let command: Command
    let line: ParsedLine
    let term: Terminal
    let paths: Paths
    let exporter: Exporter
    let quiet: Bool
    /// The run's environment: the process's, or a test's.
    let environment: [String: String]
    private let openedSession: Session?
    /// An error found while writing output (an unknown `--columns` name); main reports it after the run.
    /// Shared with the typed `Call` made from this invocation.
    private let deferred: Deferred
    var deferredError: OWError? { deferred.error }

    final class Deferred {
        var error: OWError?
    }

    init(
        command: Command, line: ParsedLine, term: Terminal, paths: Paths, format: OutputFormat, session: Session?,
        environment: [String: String]
    ) {
        self.command = command
        self.line = line
        self.term = term
        self.paths = paths
        var exporter = Exporter(format: format, color: term.color, width: term.width)
        exporter.chosenColumns = line.value(GlobalOption.columns).map { $0.split(separator: ",").map { $0.trimmed(.whitespaces) } }
        exporter.allColumns = line.flag(GlobalOption.wide)
        exporter.terminal = term.isTTY
        self.exporter = exporter
        self.quiet = line.flag(GlobalOption.quiet)
        self.environment = environment
        self.openedSession = session
        self.deferred = Deferred()
    }

    /// The same run, seen through a command's typed options (`Call`).
    init(_ other: Invocation) {
        command = other.command
        line = other.line
        term = other.term
        paths = other.paths
        exporter = other.exporter
        quiet = other.quiet
        environment = other.environment
        openedSession = other.openedSession
        deferred = other.deferred
    }

    /// The verified session. The table's access rule guarantees one for role-gated commands.
    var session: Session {
        guard let s = openedSession else { preconditionFailure("\(command.path) has no session; check its access in the table") }
        return s
    }

    var arguments: [String] { line.arguments }
    func argument(_ i: Int) -> String { line.arguments[i] }

    /// An input file the user named, or the run's standard input for `-`: read through the run's
    /// streams, so a test gives it in memory. At most `maxBytes`; more is refused, not cut.
    func readInput(_ path: String, maxBytes: Int = 256 << 20) throws -> [UInt8] {
        guard path == "-" else { return try FileSystem.readInput(path, maxBytes: maxBytes) }
        let bytes = term.streams.read(limit: maxBytes + 1)
        guard bytes.count <= maxBytes else { throw OWError.badData("standard input is larger than \(maxBytes >> 20) MB") }
        return bytes
    }

    /// An input file (`-`: standard input) as text, by `CSV.text`'s rules: UTF-8, else Windows-1252.
    func readText(_ path: String) throws -> (text: String, encoding: String) {
        try CSV.text(try readInput(path), file: Self.inputName(path))
    }

    /// How messages name an input: its path, or "standard input" for `-`.
    static func inputName(_ path: String) -> String { path == "-" ? "standard input" : path }

    /// An amount as typed (an option's or an argument's), in `currency` unless it writes its own (default: the ledger's);
    /// `12.345` in a currency with cents is refused as ambiguous (`MoneyParser.parseTyped`).
    func amount(_ text: String, currency: Currency? = nil) throws -> Money {
        try MoneyParser.parseTyped(text, defaultCurrency: try currency ?? Currency.parse(session.ledger.currency))
    }

    /// Asks before a destructive change, on a terminal only: piped or with `--yes` it never
    /// prompts (a script or cron job must not hang on a question nobody sees).
    func confirm(_ question: String, yes: Bool) throws {
        guard !yes, term.stdinIsTTY, term.stderrIsTTY else { return }
        term.err(question + " [y/N] ")
        let answer = (term.readLine() ?? "").trimmed(.whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            throw OWError.refused("not confirmed; nothing changed", hint: "pass --yes to skip the question")
        }
    }

    // Output: data to stdout in the chosen format, every row of a declared shape; messages to stderr.
    private func emitList<S: Sequence>(_ records: S, columns: [String], tableColumns: [String]?, fit: TableFit)
    where S.Element == Record {
        var w = listWriter(columns: columns, tableColumns: tableColumns, fit: fit)
        for r in records { w.add(r) }
        w.finish()
    }

    /// Rows of one shape: JSON and CSV carry all its keys (an empty list its header), a table
    /// its table columns.
    func emit<S: Sequence>(_ items: S, as shape: Shape<S.Element>) {
        var w = listWriter(for: shape)
        for item in items { w.add(item, as: shape) }
        w.finish()
    }

    /// Rows whose amounts are given in the base currency too when one is set (each converted on
    /// its row's day); a table then shows the shape's own columns.
    func emit<T>(_ items: [T], as shape: Shape<T>, base: BaseConverter?, on day: (T) -> String) throws {
        try emit(items, as: shape, base: base) { base, item, record in try base.adding(to: record, on: day(item)) }
    }

    /// Rows whose base-currency amounts `converted` adds to each record (a report that converted
    /// them while it summed).
    func emit<T>(
        _ items: [T], as shape: Shape<T>, base: BaseConverter?, converted: (BaseConverter, T, Record) throws -> Record
    ) throws {
        guard let base else { return emit(items, as: shape) }
        emitList(
            try items.map { try converted(base, $0, shape.record($0)) }, columns: shape.columns(base: true),
            tableColumns: shape.table ?? shape.fields.map(\.key), fit: shape.fit)
    }

    /// One thing of a shape shown on its own (`show`).
    /// A table is text shown with visible escapes; the machine formats are written as the exporter
    /// makes them (byte-exact to a pipe, its terminal rule on a terminal).
    /// In a table, `--columns` picks its lines, in the order given (the machine formats carry every field, as lists do).
    func emit<T>(_ item: T, as shape: Shape<T>) {
        var record = shape.record(item)
        guard exporter.format == .table else { return term.out(bytes: exporter.singleBytes(record)) }
        if let chosen = exporter.chosenColumns {
            let known = record.fields.map(\.key)
            if let bad = chosen.first(where: { !known.contains($0) }) {
                deferred.error = OWError.usage("no field '\(bad)' in this record", hint: "its fields: " + known.joined(separator: ", "))
                return
            }
            record = Record(chosen.compactMap { c in record[c].map { (c, $0) } })
        }
        term.out(exporter.single(record))
    }

    /// Whether a change's records are written to a table: a write command says what changed in
    /// one line (a note), and prints the rows only with `--verbose` or a format asked for by flag.
    var tablesChanges: Bool { line.flag(GlobalOption.verbose) || line.value(GlobalOption.format) != nil }

    /// The result of a change: the whole object in the machine formats; in a table, its shape's
    /// table columns in a one-row table with `--verbose` (or `--format table`), else nothing
    /// (the command's note says what changed).
    func emitChanged<T>(_ item: T, as shape: Shape<T>) {
        if exporter.format != .table {
            emit(item, as: shape)
        } else if tablesChanges {
            emit([item], as: shape)
        }
    }

    /// The results of a change to several records, as `emitChanged` writes one.
    func emitChanged<T>(list items: [T], as shape: Shape<T>) {
        if exporter.format != .table || (tablesChanges && !items.isEmpty) { emit(items, as: shape) }
    }

    /// For lists of one shape made row by row: each row is written (or, for tables, kept) as it is added.
    func listWriter<T>(for shape: Shape<T>) -> Exporter.ListWriter {
        listWriter(columns: shape.columns, tableColumns: shape.table, fit: shape.fit)
    }

    private func listWriter(columns: [String], tableColumns: [String]?, fit: TableFit) -> Exporter.ListWriter {
        let term = self.term
        return Exporter.ListWriter(
            exporter, emptyColumns: columns, tableColumns: tableColumns, fit: fit, sink: { term.out(bytes: $0) },
            unknownColumn: { [weak self] bad, known in
                self?.deferred.error = OWError.usage(
                    "no column '\(bad)' in this list", hint: "its columns: " + known.joined(separator: ", "))
            })
    }

    /// A line under a table (a total, a possible saving), after a blank line unless `gap` is
    /// false: the one way a command adds one. Table format only: the other formats carry the
    /// numbers in their rows, so the line is not even worked out for them.
    /// On a terminal the line is broken to its width, never inside an amount (Prose).
    func footer(gap: Bool = true, _ line: () throws -> String) rethrows {
        guard exporter.format == .table else { return }
        underTable((gap ? "\n" : "") + (try line()) + "\n")
    }

    /// Text under a table (totals, charts): on a terminal, each line broken to its width,
    /// never inside an amount (Prose).
    func underTable(_ text: String) {
        guard let width = term.width else { return term.out(text) }
        term.out(
            text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { Prose.wrapped(String($0), width: width) }
                .joined(separator: "\n"))
    }

    /// A record for programs; in table format `inTable` writes what a person reads instead (a
    /// bare value, a few sentences, a list of what matters, or nothing beyond the notes). With
    /// `footer` and `charts`, the only ways a command's output differs by format.
    func emit<T>(_ item: @autoclosure () -> T, as shape: Shape<T>, inTable: () throws -> Void) rethrows {
        if exporter.format == .table { try inTable() } else { emit(item(), as: shape) }
    }

    /// Charts under a report's table (`ascii`: its --ascii): table format only.
    func charts(ascii: Bool) -> Charts? { exporter.format == .table ? Charts(ascii: ascii || !term.unicode, width: term.width) : nil }

    /// A list table has one line per row: nested rows (a license's purchase lines) go in the other formats only.
    var listsNestedRows: Bool { exporter.format != .table }

    /// An empty list says nothing in table format (the notes say what happened); the other
    /// formats still write their empty array or header.
    func emitUnlessEmptyTable<T>(_ items: [T], as shape: Shape<T>) {
        if !items.isEmpty || exporter.format != .table { emit(items, as: shape) }
    }

    func note(_ message: String) { if !quiet { term.err(message + "\n") } }
    func warn(_ message: String) { term.err("owatch: warning: \(Terminal.unprefixed(message))\n") }

    /// A token file about to be written must not exist: owatch never overwrites one (someone's
    /// token would be gone). Checked before anything is issued.
    static func refuseExistingTokenFile(_ path: String?, option: String) throws {
        guard let path, FileSystem.exists(path) else { return }
        throw OWError.refused("\(path) exists; owatch does not overwrite token files", hint: "choose another --\(option) path")
    }

    /// A record's id as people type it: `7` or `#7`, a positive number. `what` names the record
    /// in the error ("'x' is not a request id").
    static func id(_ text: String, of what: String) throws -> Int64 {
        guard let id = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), id > 0 else {
            throw OWError.usage("'\(text.prefix(20))' is not a \(what) id")
        }
        return id
    }
}

/// One command run with its typed options: `K` is the command's `OptionKeys` enum, so it reads
/// only options it declared (`inv.value(.vendor)`), with values the validate step has checked.
final class Call<K: OptionKeys>: Invocation {
    func flag(_ key: K) -> Bool { line.flag(key) }
    func value(_ key: K) -> String? { line.value(key) }
    /// All values of a repeatable option.
    func values(_ key: K) -> [String] { line.values(key) }

    /// A date option (YYYY-MM-DD): OWKit is given the day.
    func day(_ key: K) throws -> Date? { try value(key).map { try DomainValues.day($0, option: key.rawValue) } }

    /// An amount option ("120.00", "€99", "1.234,56 EUR"), in `currency` unless it writes its own
    /// (default: the ledger's), parsed here: OWKit is given the money.
    func money(_ key: K, currency: Currency? = nil) throws -> Money? { try value(key).map { try amount($0, currency: currency) } }

    /// A currency option (an ISO 4217 code).
    func currency(_ key: K) throws -> Currency? { try value(key).map(Currency.parse) }

    /// A billing period option (monthly, yearly, 24m, one-off, …).
    func period(_ key: K) throws -> Period? { try value(key).map(Period.parse) }

    /// A month option (YYYY-MM).
    func month(_ key: K) throws -> Month? { try value(key).map { try Month.parse($0, option: "--" + key.rawValue) } }

    func duration(_ key: K) throws -> Duration? { try value(key).map { try DomainValues.duration($0, option: key.rawValue) } }

    /// A whole-number option, in the range its declaration gives.
    func integer(_ key: K) throws -> Int? {
        guard case .integer(let range) = key.spec.kind else { preconditionFailure("--\(key.rawValue) is not declared an integer") }
        return try OWError.commandLine { try value(key).map { try ValueKind.integer($0, option: key.rawValue, range: range) } }
    }

    /// An option whose value the parser checked against its choices, as the type they name.
    func choice<T: RawRepresentable>(_ key: K) -> T? where T.RawValue == String { value(key).flatMap(T.init(rawValue:)) }
}

/// Commands that ask before a destructive change: their `--yes` skips the question.
protocol Confirming: OptionKeys {
    static var yes: Self { get }
}

extension Call where K: Confirming {
    func confirm(_ question: String) throws { try confirm(question, yes: flag(.yes)) }
}
