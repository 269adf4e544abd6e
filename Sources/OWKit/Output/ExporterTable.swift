/// The table format: columns sized to the terminal, numbers right-aligned.
extension Exporter {
    package func table(_ records: [Record], emptyColumns: [String], fit: TableFit? = nil) -> String {
        let keys = records.first.map { $0.fields.map(\.key) } ?? emptyColumns
        guard !keys.isEmpty else { return "" }
        var header = keys.map { $0.uppercased() }
        var numeric = keys.indices.map { i in records.first.map { i < $0.fields.count && Exporter.isNumeric($0.fields[i].value) } ?? false }
        // A row that leaves out a field (a Field whose value is nil) is read by key, not by position.
        var rows = records.map { r in
            r.fields.count == keys.count && zip(r.fields, keys).allSatisfy { $0.key == $1 }
                ? r.fields.map { Exporter.tableCell($0.value) } : keys.map { k in r[k].map(Exporter.tableCell) ?? "" }
        }
        // Each cell measured once: widths, cuts and padding all read these.
        var lengths = rows.map { $0.map(Exporter.length) }
        var widths = header.map(\.count)
        for row in lengths { for (i, n) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], n) } }
        // On a terminal too narrow (not with --wide): the table fits (TableFit): columns go, words
        // are cut with "…"; amounts, numbers and dates are shown whole or not at all.
        if let width, !allColumns, widths.reduce(0, +) + 2 * (widths.count - 1) > width {
            let kinds = keys.indices.map { i in numeric[i] ? ColumnKind.number : fit?.kinds[keys[i]] ?? .label }
            let empty = Set(
                keys.indices.filter { i in !rows.isEmpty && rows.allSatisfy { i >= $0.count || $0[i] == "-" || $0[i].isEmpty } })
            let (shown, fitted) = (fit ?? TableFit()).layout(
                keys: keys, kinds: kinds, natural: widths, header: header.map(\.count), empty: empty, width: width,
                mayDrop: chosenColumns == nil)
            func keep<T>(_ xs: [T]) -> [T] { shown.compactMap { $0 < xs.count ? xs[$0] : nil } }
            header = keep(header)
            widths = keep(fitted)
            rows = rows.map(keep)
            lengths = lengths.map(keep)
            numeric = keep(numeric)
            for r in rows.indices {
                for i in rows[r].indices where lengths[r][i] > widths[i] {
                    rows[r][i] = Exporter.prefix(rows[r][i], columns: widths[i] - 1) + "…"
                    lengths[r][i] = Exporter.length(rows[r][i])
                }
            }
            for i in header.indices where header[i].count > widths[i] { header[i] = String(header[i].prefix(widths[i] - 1)) + "…" }
        }
        // Written straight into one string: a sync's diff can be 30,000 lines.
        var out = ""
        func line(_ cells: [String], _ cellLengths: [Int]) {
            for (i, c) in cells.enumerated() {
                if i > 0 { out += "  " }
                let pad = max(0, widths[i] - cellLengths[i])
                if numeric[i] {
                    out += String(repeating: " ", count: pad) + c
                } else {
                    out += c
                    if i < cells.count - 1 { out += String(repeating: " ", count: pad) }
                }
            }
        }
        if color { out += "\u{1B}[1m" }
        line(header, header.map(\.count))
        out += color ? "\u{1B}[0m\n" : "\n"
        for (row, rowLengths) in zip(rows, lengths) {
            line(row, rowLengths)
            out += "\n"
        }
        return out
    }

    /// A cell's width in terminal columns; by its bytes when it is ASCII, as nearly every cell is. A wide character
    /// (Chinese, Japanese, Korean, fullwidth forms, emoji) takes two columns, as terminals draw it; counting it as one
    /// pushed the columns after it out of line.
    package static func length(_ s: String) -> Int {
        s.utf8.allSatisfy { $0 < 0x80 } ? s.utf8.count : s.reduce(0) { $0 + width(of: $1) }
    }

    /// Two columns for a character East Asian Width calls wide or fullwidth, or one shown as an emoji; else one.
    static func width(of c: Character) -> Int {
        guard let first = c.unicodeScalars.first, first.value >= 0xA9 else { return 1 }
        // U+FE0F asks for the emoji picture (`©️`): two columns, as the emoji themselves.
        if c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) || first.properties.isEmojiPresentation { return 2 }
        let v = first.value
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// The wide and fullwidth blocks of Unicode's East Asian Width (UAX #11), as wcwidth has them.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F200...0x1F2FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// The longest start of `s` that takes at most `columns` terminal columns.
    static func prefix(_ s: String, columns: Int) -> String {
        var used = 0
        var end = s.startIndex
        for i in s.indices {
            used += width(of: s[i])
            if used > columns { break }
            end = s.index(after: i)
        }
        return String(s[..<end])
    }

    static func isNumeric(_ v: Value) -> Bool {
        switch v {
        case .int, .intOr, .money: return true
        default: return false
        }
    }

    /// A value as a table shows it: one line, control characters made visible (SafeText).
    static func tableCell(_ v: Value) -> String {
        SafeText.visible(rawTableCell(v))
    }

    static func rawTableCell(_ v: Value) -> String {
        switch v {
        case .text(let s):
            guard let s else { return "-" }
            return s.utf8.contains(UInt8(ascii: "\n")) ? String(s.map { $0 == "\n" ? " " : $0 }) : s
        case .int(let i): return i.map(String.init) ?? "-"
        case .intOr(let i, let label): return i.map(String.init) ?? label
        case .bool(let b): return b ? "yes" : "no"
        case .money(let m): return m?.display ?? "-"
        case .list(let l): return l.isEmpty ? "-" : l.joined(separator: ", ")
        case .json(let j): return j.encoded()
        case .records(let rs):
            // For people: "seats 3, cost 26.25 EUR, purchased on 2026-11-25; seats 2, …" (empty fields left out).
            guard !rs.isEmpty else { return "-" }
            return rs.map { r in
                r.fields.compactMap { f in
                    let cell = tableCell(f.value)
                    return cell == "-" ? nil : f.key.replacingAll("_", with: " ") + " " + cell
                }.joined(separator: ", ")
            }.joined(separator: "; ")
        }
    }
}
