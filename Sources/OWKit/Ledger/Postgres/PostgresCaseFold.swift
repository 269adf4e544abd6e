import FoundationEssentials

/// SQLite's `COLLATE NOCASE` in a query, in PostgreSQL: both sides of the comparison (or the
/// ordering key) lowered under the "C" collation. SQLite's NOCASE folds ASCII letters only and
/// then compares bytes; `lower(x COLLATE "C")` does exactly that, where an ICU case-blind
/// collation folds every script, ignores some characters and sorts punctuation its own way.
extension PostgresDialect {
    /// `A = B` then `COLLATE NOCASE` (already emitted into `out`) → `lower(A) = lower(B)`;
    /// `ORDER BY X` then `COLLATE NOCASE` → `ORDER BY lower(X)`.
    static func foldCase(_ out: inout [SQLToken]) {
        guard let bStart = operandStart(out, end: out.count) else { return }
        let b = Array(out[bStart...])
        out.removeSubrange(bStart...)
        var opAt = out.count - 1
        while opAt >= 0, out[opAt].kind == .space { opAt -= 1 }
        if opAt >= 0, out[opAt].kind == .punct, ["=", "==", "!=", "<>"].contains(out[opAt].text),
            let aStart = operandStart(out, end: opAt)
        {
            let a = Array(out[aStart..<opAt])
            let op = Array(out[opAt...])
            out.removeSubrange(aStart...)
            out += lowered(a) + [.space] + op + lowered(b)
        } else {
            out += lowered(b)
        }
    }

    private static func lowered(_ x: [SQLToken]) -> [SQLToken] {
        let trimmed = Array(x.drop(while: { $0.kind == .space }).reversed().drop(while: { $0.kind == .space }).reversed())
        return SQLToken.tokenize("lower((") + trimmed + SQLToken.tokenize(") COLLATE \"C\")")
    }

    /// Where the operand ending just before `end` starts: a value, a (qualified) name, or a
    /// call or parenthesised group.
    private static func operandStart(_ out: [SQLToken], end: Int) -> Int? {
        var i = end - 1
        while i >= 0, out[i].kind == .space { i -= 1 }
        guard i >= 0 else { return nil }
        if out[i].kind == .punct && out[i].text == ")" {
            var depth = 0
            while i >= 0 {
                if out[i].kind == .punct && out[i].text == ")" { depth += 1 }
                if out[i].kind == .punct && out[i].text == "(" {
                    depth -= 1
                    if depth == 0 { break }
                }
                i -= 1
            }
            guard i >= 0 else { return nil }
            if i > 0, out[i - 1].kind == .word { i -= 1 }  // a call: its name
            return i
        }
        guard out[i].kind != .punct else { return nil }
        while i >= 2, out[i - 1].kind == .punct, out[i - 1].text == ".", [.word, .quoted].contains(out[i - 2].kind) { i -= 2 }
        return i
    }
}
