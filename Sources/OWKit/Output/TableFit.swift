/// What a table column holds, which decides how it gives way on a terminal too narrow for the
/// whole table (issue 33). Amounts, numbers, dates and codes are shown whole or their column is
/// dropped, never cut; words are cut with "…", free text first.
public enum ColumnKind: Sendable, Hashable {
    /// Free text (a description, a summary, a reason, notes): cut with "…", to no fewer than 12 characters.
    case text
    /// A name or other words (a license, a vendor, a person, an e-mail): cut with "…", to no fewer than 14.
    case label
    /// A day or an RFC 3339 time: whole or dropped.
    case date
    /// An id, a status, a kind, a role, a period, a token id: whole or dropped.
    case code
    /// An amount with its currency: whole or dropped.
    case money
    /// A count or a percentage: whole or dropped.
    case number

    /// Whether a cell of this kind is shown whole or not at all.
    public var isWhole: Bool {
        switch self {
        case .text, .label: return false
        case .date, .code, .money, .number: return true
        }
    }

    /// The narrowest a column of this kind is cut to before columns are dropped (its header's
    /// width if wider; never wider than its widest cell); a kept one's is `keptFloor`.
    static let keptFloor = 24
    var floor: Int? {
        switch self {
        case .text: return 12
        case .label: return 14
        default: return nil
        }
    }
}

/// How a shape's table fits a terminal, as `kubectl` shows fewer columns: each column's kind,
/// the columns never dropped (the row's name, its main amount, its date), and the details that go
/// first. Too wide a table first loses its columns with nothing in them; then, while it would not
/// fit even with its free text cut to 12 characters and its names to 14, its details in the order
/// given, its other columns not kept from the right, and (only when the kept ones cannot fit at
/// all) those from the right; then the words left are cut, the widest first. An
/// amount or a date is never cut. `--wide` shows every column whole.
public struct TableFit: Sendable {
    public var kinds: [String: ColumnKind]
    public var keep: [String]
    public var dropFirst: [String]

    public init(kinds: [String: ColumnKind] = [:], keep: [String] = [], dropFirst: [String] = []) {
        self.kinds = kinds
        self.keep = keep
        self.dropFirst = dropFirst
    }

    /// The columns shown and the width of each, for a terminal `width` columns wide.
    /// `natural` are the widths that show every cell whole, `header` the headers' widths, `empty`
    /// the columns with nothing in them; with `mayDrop` false (columns the user chose) none is dropped.
    package func layout(keys: [String], kinds: [ColumnKind], natural: [Int], header: [Int], empty: Set<Int>, width: Int, mayDrop: Bool)
        -> (shown: [Int], widths: [Int])
    {
        var widths = natural
        var shown = Array(keys.indices)
        func need(_ w: (Int) -> Int) -> Int { shown.reduce(0) { $0 + w($1) } + 2 * max(0, shown.count - 1) }
        guard need({ natural[$0] }) > width, !keys.isEmpty else { return (shown, widths) }
        let kept = Set(keep.compactMap { keys.firstIndex(of: $0) } + [0])
        // The narrowest a column of words is cut to while others can still go: a kept one (the
        // row's name) keeps more of itself.
        func floor(_ i: Int) -> Int {
            guard let least = kinds[i].floor else { return natural[i] }
            return min(natural[i], max(header[i], kept.contains(i) ? ColumnKind.keptFloor : least))
        }
        if mayDrop {
            if empty.count < keys.count { shown.removeAll { empty.contains($0) && $0 != 0 } }
            let details = dropFirst.compactMap { keys.firstIndex(of: $0) }.filter { !kept.contains($0) }
            let others = keys.indices.reversed().filter { !kept.contains($0) && !details.contains($0) }
            let lastResort = keys.indices.reversed().filter { kept.contains($0) && $0 != 0 }
            for i in details + others + lastResort where need(floor) > width { shown.removeAll { $0 == i } }
        }
        // Then words give way, the widest first, each to its floor, and (when nothing is left to
        // drop) down to one character. Amounts, numbers, dates and codes are never cut.
        func shrink(to lower: (Int) -> Int) {
            while need({ widths[$0] }) > width,
                let widest = shown.filter({ !kinds[$0].isWhole && widths[$0] > lower($0) }).max(by: { widths[$0] < widths[$1] })
            {
                widths[widest] -= 1
            }
        }
        shrink(to: floor)
        shrink(to: { _ in 1 })
        return (shown, widths)
    }
}

/// A line of prose under a table (a total, a possible saving) broken at spaces to a terminal's
/// width, never inside an amount: `4,115.23 EUR` stays on one line. Lines after the first are
/// indented two spaces more than the line; a word longer than the width is left whole.
public enum Prose {
    public static func wrapped(_ line: String, width: Int) -> [String] {
        guard line.count > width, width > 8 else { return [line] }
        let lead = String(line.prefix { $0 == " " })
        // Words, with an amount's currency code joined to its number.
        var words: [String] = []
        for word in line.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if let last = words.last, isCurrency(word), isNumber(last) { words[words.count - 1] += " " + word } else { words.append(word) }
        }
        var lines: [String] = []
        var current = lead
        var started = false
        for word in words {
            if !started || (current + " " + word).count <= width {
                current += (started ? " " : "") + word
            } else {
                lines.append(current)
                current = lead + "  " + word
            }
            started = true
        }
        lines.append(current)
        return lines
    }

    /// `EUR`, `USD)`, `JPY,`: a currency code with what punctuation follows it.
    static func isCurrency(_ word: String) -> Bool {
        let code = word.prefix { $0.isLetter }
        return code.count == 3 && code.allSatisfy(\.isUppercase) && word.dropFirst(3).allSatisfy { ",.;:)".contains($0) }
    }

    /// `1,234.56`, `(4,183.75`, `-20`: digits with grouping, a decimal point, a sign or an opening parenthesis.
    package static func isNumber(_ word: String) -> Bool {
        let body = word.drop { "(-+".contains($0) }
        return body.first?.isNumber == true && body.allSatisfy { $0.isNumber || $0 == "," || $0 == "." }
    }
}
