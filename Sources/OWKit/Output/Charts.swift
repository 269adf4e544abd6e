/// Terminal charts: horizontal bars and sparklines in Unicode block characters, or ASCII
/// where the terminal cannot show them (`--ascii`, a non-UTF-8 locale). Shown under tables
/// only; the machine formats carry the numbers.
public struct Charts: Sendable {
    public var ascii: Bool
    /// The terminal's width, when there is one: bars are drawn shorter so every line fits it.
    public var width: Int?
    public init(ascii: Bool, width: Int? = nil) {
        self.ascii = ascii
        self.width = width
    }

    static let eighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiLevels: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    /// One bar per item, scaled to the largest; values shown after the bars, whole. Negative values
    /// (refunds) draw as empty bars. On a narrow terminal the bars are shorter (10 at least).
    public func bars(_ items: [(label: String, value: Int64, shown: String)], width longest: Int = 40) -> String {
        guard let top = items.map(\.value).max(), top > 0 else { return "" }
        let labelWidth = min(24, items.map { SafeText.visible($0.label).count }.max() ?? 0)
        let shownWidth = items.map(\.shown.count).max() ?? 0
        let width = max(10, min(longest, (self.width ?? .max / 2) - labelWidth - 3 - shownWidth))
        var out = ""
        for item in items {
            let shown = SafeText.visible(item.label)
            let label = shown.count > labelWidth ? String(shown.prefix(labelWidth - 1)) + "…" : shown
            let units = Int((Double(max(0, item.value)) / Double(top) * Double(width * 8)).rounded())
            var bar =
                ascii
                ? String(repeating: "#", count: (units + 4) / 8)
                : String(repeating: "█", count: units / 8) + (units % 8 > 0 ? String(Charts.eighths[units % 8]) : "")
            if bar.isEmpty && item.value > 0 { bar = ascii ? "#" : "▏" }
            out +=
                label.paddedUTF16(to: labelWidth)
                + " │".replacingAll("│", with: ascii ? "|" : "│")
                + bar + String(repeating: " ", count: max(0, width - bar.count)) + " " + item.shown + "\n"
        }
        return out
    }

    /// A sparkline: one character per value, the lowest level for the minimum (or zero).
    public func sparkline(_ values: [Int64]) -> String {
        guard let top = values.max(), top > 0 else { return String(repeating: ascii ? "_" : "▁", count: values.count) }
        let bottom = min(0, values.min() ?? 0)
        let set = ascii ? Charts.asciiLevels : Charts.levels
        // A flat series is a flat line in the middle, not a wall of full blocks.
        if values.allSatisfy({ $0 == top }) { return String(repeating: set[set.count / 2 - 1], count: values.count) }
        let range = Double(top - bottom)
        let highest = Double(set.count - 1)
        return String(
            values.map { (v: Int64) -> Character in
                let scaled: Double = Double(v - bottom) / range * highest
                let level = Int(scaled.rounded())
                return set[max(0, min(set.count - 1, level))]
            })
    }
}
