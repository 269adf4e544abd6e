import FoundationEssentials
import OWCLI
import OWKit

// What OWCLI leaves to the front end: owatch's roles and output docs, the usage error its own
// error becomes, the readers of values that are the domain's types, and the wire's file uses.

extension Invocation: CommandContext {
    typealias Role = OWKit.Role
    typealias OutputDoc = FieldDoc
}

extension OWKit.Role: AccessRole {}

typealias Access = OWCLI.Access<OWKit.Role>

extension OWError {
    /// The command line's error as owatch reports it: a usage error (exit 64), the same words.
    static func commandLine<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as CommandLineError {
            throw OWError.usage(e.message, hint: e.hint)
        }
    }
}

/// The validate step's reader of currencies, days, periods, durations and months: the domain's
/// parsers, with the messages `Call`'s readers give.
struct DomainValues: ValueReader {
    func check(_ kind: ValueKind, _ text: String, option name: String) throws {
        switch kind {
        case .currency: _ = try Currency.parse(text)
        case .day: _ = try Self.day(text, option: name)
        case .period: _ = try Period.parse(text)
        case .duration: _ = try Self.duration(text, option: name)
        case .month: _ = try Month.parse(text, option: "--" + name)
        case .flag, .text, .path, .choice, .amount, .integer: return
        }
    }

    static func day(_ text: String, option name: String) throws -> Date {
        guard let day = Time.parseDay(text) else { throw OWError.usage("--\(name) '\(text.prefix(20))' is not a date (YYYY-MM-DD)") }
        return day
    }

    static func duration(_ text: String, option name: String) throws -> Duration {
        guard let d = Duration.parse(text), d.count > 0 else {
            throw OWError.usage("--\(name) takes a duration such as 30d, 2w, 3m or 1y, not '\(text)'")
        }
        return d
    }
}

extension OWChannel.FileUse {
    /// A file use of the table (OWCLI) as the remote protocol carries it: the same four.
    init(_ use: OWCLI.FileUse) {
        switch use {
        case .input: self = .input
        case .inputTree: self = .inputTree
        case .output: self = .output
        case .outputDirectory: self = .outputDirectory
        }
    }
}
