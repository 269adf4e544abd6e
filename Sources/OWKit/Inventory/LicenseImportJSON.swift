import FoundationEssentials
import OWCore
import OWIdentity

/// Reading the JSON of `license list --json` back.
extension LicenseImport {
    /// The JSON of `license list --json`: each object's `lines` rebuild its purchase lines exactly.
    /// A bad record is named by its number and the line it starts on.
    static func fromJSON(_ text: String, dates: DateFormat?, currency: Currency) throws -> [DraftRow] {
        let doc: JSON
        do { doc = try JSON.parse(text, maxDepth: 8) } catch let e as OWError { throw OWError.badData(e.message) }
        guard let items = doc.arrayValue else { throw OWError.badData("expected a JSON array of licenses") }
        let starts = recordLines(text)
        return items.enumerated().map { index, item in
            let line = index < starts.count ? starts[index] : 1
            return (
                line,
                Result {
                    do {
                        return try draft(fromJSON: item, dates: dates, currency: currency)
                    } catch let e as OWError {
                        throw OWError.badData("record \(index + 1): \(e.message)")
                    }
                }.mapError { ($0 as? OWError) ?? OWError.badData("\($0)") }
            )
        }
    }

    static func draft(fromJSON item: JSON, dates: DateFormat?, currency: Currency) throws -> LicenseDraft {
        guard item.members != nil else { throw OWError.badData("not an object") }
        func str(_ k: String) -> String? {
            switch item[k] {
            case .string(let s)?: return s.isEmpty ? nil : s
            case .number(let n)?: return n
            case .bool(let b)?: return b ? "true" : "false"
            default: return nil
            }
        }
        var d = try draft(dates: dates, currency: currency) { column in
            switch column {
            case .seats: return item["unlimited"]?.boolValue == true ? "unlimited" : str("seats")
            case .assigned: return item["assigned_to"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ";")
            default: return str(column.key)
            }
        }
        if let lines = item["lines"]?.arrayValue { try applyLines(lines, to: &d, dates: dates) }
        return d
    }

    /// The line each top-level element of a JSON array starts on (1-based), found by one pass
    /// that skips strings; for error messages only.
    static func recordLines(_ text: String) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expecting = false
        for b in text.utf8 {
            if b == 10 { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            if depth == 1 && expecting && b > 0x20 && b != 0x2C && b != 0x5D {
                lines.append(line)
                expecting = false
            }
            switch b {
            case 0x22: inString = true
            case 0x7B, 0x5B:
                depth += 1
                if depth == 1 { expecting = true }
            case 0x7D, 0x5D: depth -= 1
            case 0x2C: if depth == 1 { expecting = true }
            default: break
            }
        }
        return lines
    }
}
