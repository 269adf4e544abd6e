/// The one error type of owatch. Its `kind` decides the process exit status (SPEC §5),
/// so every layer says *what* went wrong and the front end maps it in one place.
public struct OWError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Int32, Sendable {
        case refused = 1  // a rule said no, or the thing was not found
        case usage = 64  // the command line is wrong
        case badData = 65  // input data (CSV, token text, ledger contents) is wrong
        case missingInput = 66  // an input file or the ledger does not exist
        case unavailable = 69  // a service or system library owatch needs is absent (libpq, the database server)
        case io = 74  // the file system failed us
        case busy = 75  // the ledger or scan lock stayed busy: retry
        case notPermitted = 77  // token, role or file permissions
    }

    public let kind: Kind
    public let message: String
    public let hints: [String]
    /// Lines that itemise the error (e.g. every bad row of an import), shown under it.
    public var details: [String] = []
    /// What helps, for the front end to word as a hint: a low layer (the ledger) names no command.
    public var remedy: Remedy?

    /// The remedies a layer below the front end can point at; the front end says which command.
    public enum Remedy: Sendable {
        case waitLonger  // the ledger stayed busy: retry, or wait longer
        case checkLedger  // the ledger holds what owatch never writes
        case checkOrRestoreLedger  // the ledger file is damaged
        case checkTotals  // a total overflowed: some rows should not be there
    }

    public init(_ kind: Kind, _ message: String, remedy: Remedy) {
        self.init(kind, message)
        self.remedy = remedy
    }

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hints = hint.map { [$0] } ?? []
    }

    public init(_ kind: Kind, _ message: String, hints: [String]) {
        self.kind = kind
        self.message = message
        self.hints = hints
    }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }

    public static func refused(_ m: String, hint: String? = nil) -> OWError { OWError(.refused, m, hint: hint) }
    public static func usage(_ m: String, hint: String? = nil) -> OWError { OWError(.usage, m, hint: hint) }
    public static func badData(_ m: String, hint: String? = nil) -> OWError { OWError(.badData, m, hint: hint) }
    public static func notPermitted(_ m: String, hint: String? = nil) -> OWError { OWError(.notPermitted, m, hint: hint) }
    public static func notFound(_ what: String, hint: String? = nil) -> OWError { OWError(.refused, "\(what) not found", hint: hint) }
}
