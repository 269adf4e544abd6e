import FoundationEssentials

/// SQL text split into tokens, for translating SQLite's dialect (PostgresDialect): words, quoted
/// names, string literals, numbers, parameters and punctuation; whitespace and comments are kept
/// as one space so the translated text reads like the original.
package struct SQLToken: Equatable {
    package enum Kind: Equatable { case word, quoted, string, number, parameter, punct, space }
    package var kind: Kind
    package var text: String

    package static func word(_ t: String) -> SQLToken { SQLToken(kind: .word, text: t) }
    static func punct(_ t: String) -> SQLToken { SQLToken(kind: .punct, text: t) }
    package static let space = SQLToken(kind: .space, text: " ")

    /// A word, compared without regard to case (`is("select")`).
    func `is`(_ keyword: String) -> Bool { kind == .word && text.equalsIgnoringCase(keyword) }
    package var upper: String { text.uppercased() }

    static func tokenize(_ sql: String) -> [SQLToken] {
        let s = Array(sql.unicodeScalars)
        var out: [SQLToken] = []
        var i = 0
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
        func isWord(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || ("0"..."9").contains(c) || c == "$" }
        func text(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(s[from..<to])) }
        while i < s.count {
            let c = s[i]
            let start = i
            if c == " " || c == "\n" || c == "\t" || c == "\r" {
                while i < s.count, [" ", "\n", "\t", "\r"].contains(s[i]) { i += 1 }
                out.append(.space)
            } else if c == "-", i + 1 < s.count, s[i + 1] == "-" {
                while i < s.count, s[i] != "\n" { i += 1 }
                out.append(.space)
            } else if c == "'" || c == "\"" {
                i += 1
                while i < s.count {
                    if s[i] == c {
                        if i + 1 < s.count, s[i + 1] == c { i += 2 } else { break }
                    } else {
                        i += 1
                    }
                }
                i = min(i + 1, s.count)
                out.append(SQLToken(kind: c == "'" ? .string : .quoted, text: text(start, i)))
            } else if c == "?" {
                i += 1
                while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                out.append(SQLToken(kind: .parameter, text: text(start, i)))
            } else if ("0"..."9").contains(c) {
                while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "." { i += 1 }
                out.append(SQLToken(kind: .number, text: text(start, i)))
            } else if isWordStart(c) {
                while i < s.count, isWord(s[i]) { i += 1 }
                out.append(.word(text(start, i)))
            } else {
                i += 1
                if i < s.count, ["||", "<=", ">=", "!=", "<>", "==", "<<", ">>"].contains(text(start, i + 1)) { i += 1 }
                out.append(.punct(text(start, i)))
            }
        }
        return out
    }

    package static func join(_ tokens: [SQLToken]) -> String { tokens.map(\.text).joined() }
}

extension Array where Element == SQLToken {
    /// The index of the `)` closing the `(` at `open`.
    package func closing(_ open: Int) -> Int? {
        var depth = 0
        for i in open..<count {
            if self[i].kind == .punct && self[i].text == "(" { depth += 1 }
            if self[i].kind == .punct && self[i].text == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
        }
        return nil
    }

    /// The arguments between `(` at `open` and its `)`, split at top-level commas.
    package func arguments(_ open: Int, _ close: Int) -> [[SQLToken]] {
        var args: [[SQLToken]] = [[]]
        var depth = 0
        for t in self[(open + 1)..<close] {
            if t.kind == .punct && t.text == "(" { depth += 1 }
            if t.kind == .punct && t.text == ")" { depth -= 1 }
            if depth == 0 && t.kind == .punct && t.text == "," {
                args.append([])
            } else {
                args[args.count - 1].append(t)
            }
        }
        return args.count == 1 && args[0].allSatisfy({ $0.kind == .space }) ? [] : args
    }

    /// The next token that is not a space, from `i` on.
    package func next(from i: Int) -> Int? { self[Swift.min(i, count)...].firstIndex(where: { $0.kind != .space }) }
}
