import FoundationEssentials
import Glibc
import OWCLI
import OWKit

/// `owatch report …`'s options: one enum a subcommand, the table reads their specs.
extension ReportCommand {
    enum BurnOption: String, OptionKeys {
        case from, to, by, ascii

        var spec: Option {
            switch self {
            case .from: Option(value: "MONTH", "first month, YYYY-MM (default: 11 months before --to)", kind: .month)
            case .to: Option(value: "MONTH", "last month, YYYY-MM (default: this month)", kind: .month)
            case .by:
                Option(
                    value: "GROUP", "split each month by this (default month: one row per month and currency)",
                    choices: BurnGrouping.allCases.map(\.rawValue))
            case .ascii: Option("draw charts with ASCII characters only")
            }
        }
    }

    enum BudgetOption: String, OptionKeys {
        case from, to

        var spec: Option {
            switch self {
            case .from: Option(value: "MONTH", "first month, YYYY-MM (default: --to)", kind: .month)
            case .to: Option(value: "MONTH", "last month, YYYY-MM (default: this month)", kind: .month)
            }
        }
    }

    enum ReclaimOption: String, OptionKeys {
        case inactive

        var spec: Option {
            switch self {
            case .inactive:
                Option(value: "DURATION", "unused for longer than this is inactive (default config usage.inactive, 60d)", kind: .duration)
            }
        }
    }

    enum RenewalsOption: String, OptionKeys {
        case within

        var spec: Option {
            switch self {
            case .within: Option(value: "DURATION", "how far ahead (default 90d)")
            }
        }
    }

    enum DigestOption: String, OptionKeys {
        case since, send

        var spec: Option {
            switch self {
            case .since: Option(value: "DURATION", "how far back findings count as new (default 7d)")
            case .send: Option("also queue it as this week's digest for every channel that takes digest, and deliver it (once a week)")
            }
        }
    }

    enum ShadowOption: String, OptionKeys {
        case ascii

        var spec: Option {
            switch self {
            case .ascii: Option("draw charts with ASCII characters only")
            }
        }
    }

    enum LeaveOption: String, OptionKeys {
        case year

        var spec: Option {
            switch self {
            case .year: Option(value: "YEAR", "calendar year (default: this year)", kind: .integer(1970...9999))
            }
        }
    }

    enum ForecastOption: String, OptionKeys {
        case months, from, ascii

        var spec: Option {
            switch self {
            case .months: Option(value: "N", "how many months (default 12)", kind: .integer(1...120))
            case .from: Option(value: "MONTH", "first month, YYYY-MM (default: this month)", kind: .month)
            case .ascii: Option("draw charts with ASCII characters only")
            }
        }
    }

    enum CalendarOption: String, OptionKeys {
        case out, within

        var spec: Option {
            switch self {
            case .out:
                Option(
                    short: "o", value: "FILE", "where to write it, - for standard output (required)", file: .output,
                    required: .message("say where: owatch report calendar --out FILE (- for standard output)"))
            case .within:
                Option(
                    value: "DURATION", "events with a date this far ahead (default 1y); a renewal is one repeating event", kind: .duration)
            }
        }
    }

    enum HtmlOption: String, OptionKeys {
        case out

        var spec: Option {
            switch self {
            case .out:
                Option(
                    short: "o", value: "FILE", "where to write it (required)", file: .output,
                    required: .message("say where: owatch report html --out FILE"))
            }
        }
    }
}
