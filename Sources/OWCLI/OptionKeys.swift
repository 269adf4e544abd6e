/// Typed options (as swift-argument-parser's): each command declares its options once, as an enum
/// whose cases are the options and whose raw values are their names on the command line:
///
///     enum AddOption: String, OptionKeys {
///         case vendor, perSeat = "per-seat"
///         var spec: Option {
///             switch self {
///             case .vendor: Option(value: "V", "vendor name", required: .message("owatch license add needs --vendor V"))
///             case .perSeat: Option("the cost is per seat")
///             }
///         }
///     }
///
/// The table takes the enum (`options: AddOption.self`) and the handler gets a `Call<AddOption>`
/// (owatch's invocation typed by it), so `inv.value(.vendor)` reads it and a misspelled or
/// undeclared option does not compile. The parser, help, man pages and completions read
/// `AddOption.options`, the same declaration; `Validation.check` runs between parsing and the
/// handler. Options several commands share are a protocol with a static requirement per option
/// (`Confirming`'s `static var yes: Self { get }`, `ContractTermOptions`, `BudgetScopeOptions`),
/// which an enum case satisfies, so one helper reads them for each command.
///
/// Adding an option: a case (raw value = its name when that is not a Swift identifier) and its
/// `spec` line; adding a command with options: its enum beside its handler, `options: Its.self`.
public protocol OptionKeys: RawRepresentable, CaseIterable, Equatable, Sendable where RawValue == String {
    /// The option without its name: placeholder, help, value kind, whether required.
    var spec: Option { get }
}

extension OptionKeys {
    public var option: Option { spec.named(rawValue) }
    /// The command's options for the table, in declaration order (a closure, not `\.option`: a
    /// key path is made at run time from its mangled name).
    public static var options: [Option] { allCases.map { $0.option } }
}

/// What an option's value must be; the validate step checks it with the messages the readers give.
public enum ValueKind: Sendable, Equatable {
    case flag, text, path, choice
    case integer(ClosedRange<Int>)
    /// An amount needs the ledger's currency to read, so it is checked where it is read.
    case amount
    case currency, day, period, duration
    /// A calendar month, YYYY-MM.
    case month

    /// Checks one value of option `name`; throws the usage error its reader would. The kinds that
    /// are the domain's types (a currency, a day, a period, a duration, a month) are read by `reader`,
    /// the front end's, whose errors pass through as they are.
    public func check(_ text: String, option name: String, reader: some ValueReader) throws {
        switch self {
        case .flag, .text, .path, .choice, .amount: return
        case .integer(let range): _ = try Self.integer(text, option: name, range: range)
        case .currency, .day, .period, .duration, .month: try reader.check(self, text, option: name)
        }
    }

    public static func integer(_ text: String, option name: String, range: ClosedRange<Int>) throws -> Int {
        guard let n = Int(text), range.contains(n) else {
            throw CommandLineError("--\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return n
    }
}

/// Reads the values whose types are the domain's (`ValueKind.currency`, `.day`, `.period`,
/// `.duration`, `.month`) for the validate step: the front end gives one.
public protocol ValueReader {
    func check(_ kind: ValueKind, _ text: String, option name: String) throws
}

/// What a required option's absence says: by default "owatch PATH needs --NAME VALUE".
public struct Requirement: Sendable, Equatable {
    public let message: String?
    public let hint: String?

    public static let standard = Requirement(message: nil, hint: nil)
    public static func message(_ message: String, hint: String? = nil) -> Requirement { Requirement(message: message, hint: hint) }

    func error(_ option: Option, command path: String) -> CommandLineError {
        let text = message ?? "owatch \(path) needs --\(option.long)" + (option.value.map { " \($0)" } ?? "")
        return CommandLineError(text, hint: hint)
    }
}

/// The validate step between parsing and running: required options first (in declaration
/// order), then every value's kind and choices.
public enum Validation {
    public static func check<Context>(_ line: ParsedLine<Context>, for command: Command<Context>, reader: some ValueReader) throws {
        for option in command.options where line.options[option.long] == nil {
            if let required = option.required { throw required.error(option, command: command.path) }
        }
        for option in command.options {
            for value in line.options[option.long] ?? [] {
                if option.kind == .choice || !option.choices.isEmpty { try Parser.checkChoice(value, of: option) }
                try option.kind.check(value, option: option.long, reader: reader)
            }
        }
    }
}
