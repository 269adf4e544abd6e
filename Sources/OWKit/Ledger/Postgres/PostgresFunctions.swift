import FoundationEssentials

extension PostgresDialect {
    /// Rewrites parameters, functions and operators, recursing into function arguments.
    func rewrite(_ tokens: [SQLToken], _ t: inout Translation) -> [SQLToken] {
        var out: [SQLToken] = []
        var i = 0
        while i < tokens.count {
            let tok = tokens[i]
            let nextIndex = tokens.next(from: i + 1)
            let next = nextIndex.map { tokens[$0] }
            switch tok.kind {
            case .parameter:
                out.append(parameter(tok, tokens: tokens, at: i, emitted: out, &t))
            case .word where next?.text == "(" && next?.kind == .punct:
                guard let close = tokens.closing(nextIndex!) else {
                    out.append(tok)
                    break
                }
                out += call(tokens, at: i, open: nextIndex!, close: close, &t)
                i = close + 1
                continue
            case .word where PostgresDialect.reserved.contains(tok.upper) && next?.text != "(":
                out.append(SQLToken(kind: .quoted, text: "\"" + tok.text.lowercased() + "\""))
            case .number where isCondition(after: out.last(where: { $0.kind != .space }), before: next):
                out.append(.word(tok.text == "0" ? "FALSE" : "TRUE"))  // `WHERE 1 AND …`: a number as a condition
            case .word where tok.is("temp") && next?.text == ".":
                out.append(.word("pg_temp"))
            case .word where tok.is("main") && next?.text == ".":
                i = nextIndex! + 1
                continue
            case .word where tok.is("COLLATE") && next?.is("NOCASE") == true:
                PostgresDialect.foldCase(&out)
                i = nextIndex! + 1
                continue
            case .word where tok.is("LIKE"):
                out.append(.word("ILIKE"))
                out += collateC(tokens, after: i, &t, &i)
                continue
            case .word where tok.is("GLOB"):
                if let n = nextIndex, tokens[n].kind == .string {
                    out += [.word("~"), .space, SQLToken(kind: .string, text: PostgresDialect.globRegex(tokens[n].text)), .space]
                    out += SQLToken.tokenize("COLLATE \"C\"")
                    i = n + 1
                    continue
                }
                out.append(tok)
            case .word where tok.is("IS"):
                var n = nextIndex ?? i
                var negated = false
                if n < tokens.count, tokens[n].is("NOT") {
                    negated = true
                    n = tokens.next(from: n + 1) ?? n
                }
                if n < tokens.count, !["NULL", "TRUE", "FALSE", "DISTINCT", "NOT"].contains(tokens[n].upper) {
                    out += SQLToken.tokenize(negated ? "IS DISTINCT FROM " : "IS NOT DISTINCT FROM ")
                    i = n
                    continue
                }
                out.append(tok)
            case .word where (tok.is("INTEGER") || tok.is("REAL")) && out.last(where: { $0.kind != .space })?.is("AS") == true:
                out.append(.word(tok.is("REAL") ? "double precision" : "bigint"))
            case .word where tok.is("LIMIT") && next?.text == "-":
                out += SQLToken.tokenize("LIMIT ALL")
                i = (tokens.next(from: nextIndex! + 1) ?? nextIndex!) + 1
                continue
            default:
                out.append(tok)
            }
            i += 1
        }
        return out
    }

    /// `name(args)` from `i` to `close`: a SQLite function translated, or the call (or a
    /// parenthesised group after a keyword) with its arguments rewritten.
    private func call(_ tokens: [SQLToken], at i: Int, open: Int, close: Int, _ t: inout Translation) -> [SQLToken] {
        let tok = tokens[i]
        var out: [SQLToken] = []
        let args = tokens.arguments(open, close).map { rewrite($0, &t) }
        let after = tokens.next(from: close + 1).map { tokens[$0] }
        let named = after?.kind == .word && !isClauseWord(after!)
        let (replacement, alias) = function(tok.text.lowercased(), args)
        if let replacement {
            out += SQLToken.tokenize(replacement)
            if alias, !named { out += SQLToken.tokenize(" AS pg_\(tok.text.lowercased())") }
            return out
        }
        out.append(tok)
        out += tokens[(i + 1)..<open]  // the space, if any, before "("
        out.append(.punct("("))
        out += SQLToken.tokenize(args.map(SQLToken.join).joined(separator: ","))
        out.append(.punct(")"))
        // A subquery in FROM needs a name in PostgreSQL 15 (SQLite's may go without).
        if tok.is("FROM") || tok.is("JOIN"), args.first?.first(where: { $0.kind != .space })?.is("SELECT") == true, !named {
            out += SQLToken.tokenize(" AS pg_subquery\(i)")
        }
        return out
    }

    private func isCondition(after before: SQLToken?, before next: SQLToken?) -> Bool {
        guard let before, ["WHERE", "AND", "OR", "NOT", "WHEN"].contains(before.upper) else { return false }
        return next == nil || ["AND", "OR", "THEN", "ORDER", "GROUP", "LIMIT", ")"].contains(next!.upper)
    }

    private func isClauseWord(_ t: SQLToken) -> Bool {
        ["WHERE", "JOIN", "CROSS", "LEFT", "INNER", "ON", "GROUP", "ORDER", "LIMIT", "UNION", "AND", "OR", "WHEN", "THEN", "ELSE", "END"]
            .contains(t.upper)
    }

    /// `?N` → `$k`, a new PostgreSQL parameter for each occurrence.
    private func parameter(_ tok: SQLToken, tokens: [SQLToken], at i: Int, emitted: [SQLToken], _ t: inout Translation) -> SQLToken {
        let n = Int(tok.text.dropFirst()) ?? ((t.parameters.map(\.argument).max() ?? -1) + 2)
        let before = emitted.last(where: { $0.kind != .space })
        let after = tokens.next(from: i + 1).map { tokens[$0] }
        let textual = before?.text == "||" || after?.text == "||" || after?.is("IS") == true
        t.parameters.append((argument: n - 1, textual: textual))
        return SQLToken(kind: .parameter, text: "$\(t.parameters.count)")
    }

    /// The operand after LIKE, then `COLLATE "C"`: a column that compares without case (COLLATE
    /// nocase, nondeterministic) cannot be matched with ILIKE, and an explicit collation wins.
    private func collateC(_ tokens: [SQLToken], after like: Int, _ t: inout Translation, _ i: inout Int) -> [SQLToken] {
        guard let n = tokens.next(from: like + 1) else {
            i = like + 1
            return []
        }
        var end = n + 1
        if tokens[n].text == "(", let close = tokens.closing(n) { end = close + 1 }
        let first = t.parameters.count
        let operand = rewrite(Array(tokens[n..<end]), &t)
        for k in first..<t.parameters.count { t.parameters[k].textual = true }  // a pattern is text
        i = end
        return [.space] + operand + SQLToken.tokenize(" COLLATE \"C\"")
    }

    /// SQLite functions PostgreSQL lacks or names otherwise: the replacement text, and whether it
    /// is a table expression needing an alias. Nil: the call stays as written.
    func function(_ name: String, _ args: [[SQLToken]]) -> (String?, Bool) {
        let a = args.map { SQLToken.join($0).trimmed(.whitespaces) }
        switch (name, a.count) {
        case ("julianday", 1): return ("(extract(epoch FROM CAST(\(a[0]) AS timestamp)) / 86400.0 + 2440587.5)", false)
        case ("date", 1): return ("to_char(\(day(a[0])), 'YYYY-MM-DD')", false)
        case ("date", 2): return ("to_char(\(day(a[0])) + \(days(a[1])), 'YYYY-MM-DD')", false)
        case ("iif", 3): return ("(CASE WHEN \(a[0]) THEN \(a[1]) ELSE \(a[2]) END)", false)
        case ("instr", 2): return ("strpos(\(a[0]), \(a[1]))", false)
        case ("lower", 1): return ("lower((\(a[0])) COLLATE \"C\")", false)  // SQLite's folds ASCII only
        case ("upper", 1): return ("upper((\(a[0])) COLLATE \"C\")", false)
        case ("total", 1): return ("CAST(coalesce(sum(\(a[0])), 0) AS double precision)", false)
        case ("ifnull", 2): return ("coalesce(\(a[0]), \(a[1]))", false)
        case ("group_concat", 1): return ("string_agg(CAST(\(a[0]) AS text), ',')", false)
        case ("group_concat", 2): return ("string_agg(CAST(\(a[0]) AS text), \(a[1]))", false)
        case ("min", 2...): return ("least(\(a.joined(separator: ", ")))", false)
        case ("max", 2...): return ("greatest(\(a.joined(separator: ", ")))", false)
        case ("json_extract", 2): return ("(CAST(\(a[0]) AS jsonb) #>> \(jsonPath(a[1])))", false)
        case ("json_each", 1):
            return ("(SELECT CAST(value AS bigint) AS value FROM json_array_elements_text(CAST(\(a[0]) AS json)) AS je(value))", true)
        case ("pragma_table_info", 1):
            return (
                // pg_attribute, not information_schema.columns: the view checks privileges per column
                // and cost 20-40 ms of server time per command.
                "(SELECT CAST(a.attname AS text) AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    + "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = \(a[0]) AND a.attnum > 0 "
                    + "AND NOT a.attisdropped AND a.attname <> 'rowid' ORDER BY a.attnum)", true
            )
        case ("typeof", 1):
            return (
                "(CASE WHEN \(a[0]) IS NULL THEN 'null' ELSE (CASE pg_typeof(\(a[0]))::text WHEN 'bigint' THEN 'integer' "
                    + "WHEN 'integer' THEN 'integer' WHEN 'double precision' THEN 'real' WHEN 'bytea' THEN 'blob' ELSE 'text' END) END)",
                false
            )
        default: return (nil, false)
        }
    }

    private func day(_ x: String) -> String { x.equalsIgnoringCase("'now'") ? "current_date" : "CAST(\(x) AS date)" }

    /// `'+3 days'`, `'-400 days'` → an integer PostgreSQL adds to a date.
    private func days(_ modifier: String) -> String {
        let inner = modifier.trimmingCharacters(in: "'")
        let number = inner.split(separator: " ").first.map(String.init) ?? "0"
        return "(\(Int(number) ?? 0))"
    }

    /// `'$.a.b'` → `'{a,b}'`.
    private func jsonPath(_ path: String) -> String {
        let inner = path.trimmingCharacters(in: "'")
        let parts = inner.hasPrefix("$.") ? inner.dropFirst(2).split(separator: ".") : []
        return "'{" + parts.joined(separator: ",") + "}'"
    }

    /// A GLOB pattern literal → an anchored POSIX regular expression literal.
    static func globRegex(_ literal: String) -> String {
        let pattern = Array(literal.dropFirst().dropLast())
        var out = "^"
        var inClass = false
        for c in pattern {
            if inClass {
                out.append(c)
                if c == "]" { inClass = false }
                continue
            }
            switch c {
            case "*": out += ".*"
            case "?": out += "."
            case "[":
                out.append(c)
                inClass = true
            case ".", "(", ")", "+", "{", "}", "^", "$", "|", "\\": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return "'" + out + "$'"
    }
}

extension String {
    fileprivate func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
