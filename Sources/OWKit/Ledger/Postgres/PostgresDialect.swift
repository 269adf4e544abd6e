import FoundationEssentials

/// Translates the SQLite SQL owatch writes into PostgreSQL's dialect, token by token (issue 35).
/// Handled: `?`/`?N` → `$n` (one PostgreSQL parameter per occurrence, so each gets the type its
/// place needs); `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`; `INSERT OR REPLACE` → an upsert on
/// the table's primary key; unqualified columns in `DO UPDATE SET` qualified (PostgreSQL finds them
/// ambiguous); `IS`/`IS NOT` between values → `IS [NOT] DISTINCT FROM`; `LIKE` (ASCII
/// case-insensitive in SQLite) → `ILIKE`; `GLOB 'literal'` → an anchored regular expression;
/// `julianday`, `date(x, '±N days')`, `iif`, `instr`, `total`, `json_extract(x, '$.a')`,
/// `json_each` of an integer array, `typeof`, two-argument `min`/`max`, `ifnull`, `group_concat`,
/// `pragma_table_info`, `PRAGMA user_version`, `CAST(… AS INTEGER|REAL)`, `main.` and `LIMIT -1`.
/// Not handled (changed at the call site instead): `last_insert_rowid()` (an INSERT into a table
/// with an `id` gets `RETURNING id`), an integer used as a condition.
package struct PostgresDialect {
    /// What the translation needs to know about the schema.
    var primaryKey: (String) -> [String] = { _ in [] }
    var hasIdentity: (String) -> Bool = { _ in false }

    package struct Translation {
        package var sql: String
        /// For each `$n`, the 0-based index of the SQLite argument it takes and whether its place
        /// wants text (next to `||` or `IS`: PostgreSQL cannot infer a type there).
        package var parameters: [(argument: Int, textual: Bool)] = []
        /// Whether `RETURNING id` was added (the value is `lastInsertRowID`, not a row for the caller).
        var returnsID = false
        /// Whether the statement changes rows (INSERT, UPDATE, DELETE).
        var writes = false
    }

    func translate(_ sql: String) -> Translation {
        var tokens = SQLToken.tokenize(sql)
        if let first = tokens.next(from: 0), tokens[first].is("PRAGMA"),
            let name = tokens.next(from: first + 1), tokens[name].is("user_version")
        {
            if let eq = tokens.next(from: name + 1), tokens[eq].text == "=", let v = tokens.next(from: eq + 1) {
                return Translation(sql: "UPDATE owatch_schema SET version = \(tokens[v].text)")
            }
            return Translation(sql: "SELECT version AS user_version FROM owatch_schema")
        }
        var t = Translation(sql: "")
        var suffix = ""
        if let insert = tokens.next(from: 0), tokens[insert].is("INSERT") { suffix = rewriteInsert(&tokens, at: insert, &t) }
        PostgresDialect.joinsWithOn(&tokens)
        tokens = rewrite(tokens, &t)
        t.sql = SQLToken.join(tokens) + suffix
        t.writes = tokens.next(from: 0).map { ["INSERT", "UPDATE", "DELETE"].contains(tokens[$0].upper) } ?? false
        return t
    }

    /// `INSERT OR IGNORE|REPLACE INTO t(cols)`: the clause PostgreSQL puts at the end; also
    /// qualifies `DO UPDATE SET`'s columns and adds `RETURNING id` for `lastInsertRowID`.
    private func rewriteInsert(_ tokens: inout [SQLToken], at insert: Int, _ t: inout Translation) -> String {
        var suffix = ""
        var i = tokens.next(from: insert + 1) ?? tokens.count
        if i < tokens.count, tokens[i].is("OR"), let how = tokens.next(from: i + 1) {
            let replace = tokens[how].is("REPLACE")
            tokens.removeSubrange(i...(how + 1 < tokens.count && tokens[how + 1].kind == .space ? how + 1 : how))
            let into = tokens.next(from: i) ?? i
            let table = tokens.next(from: into + 1).map { tokens[$0].text } ?? ""
            if replace {
                let key = primaryKey(table)
                var columns: [String] = []
                if let name = tokens.next(from: into + 1), let open = tokens.next(from: name + 1), tokens[open].text == "(",
                    let close = tokens.closing(open)
                {
                    columns = tokens.arguments(open, close).map { SQLToken.join($0).trimmed(.whitespaces) }
                }
                let set = columns.filter { !key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }
                suffix =
                    " ON CONFLICT (\(key.joined(separator: ", "))) DO "
                    + (set.isEmpty ? "NOTHING" : "UPDATE SET " + set.joined(separator: ", "))
            } else {
                suffix = " ON CONFLICT DO NOTHING"
            }
            i = into
        }
        guard let into = tokens.next(from: i), tokens[into].is("INTO"), let name = tokens.next(from: into + 1) else { return suffix }
        let table = tokens[name].text
        qualifyUpdateSet(&tokens, table: table)
        if hasIdentity(table), !tokens.contains(where: { $0.is("RETURNING") }) {
            suffix += " RETURNING id"
            t.returnsID = true
        }
        return suffix
    }

    /// SQLite's `CROSS JOIN t ON …` (an inner join that keeps its order) is `JOIN t ON …` here:
    /// PostgreSQL's CROSS JOIN takes no ON.
    static func joinsWithOn(_ tokens: inout [SQLToken]) {
        var i = 0
        while i < tokens.count {
            if tokens[i].is("CROSS"), let join = tokens.next(from: i + 1), tokens[join].is("JOIN") {
                var depth = 0
                var j = join + 1
                var hasOn = false
                while j < tokens.count {
                    let t = tokens[j]
                    if t.text == "(" { depth += 1 }
                    if t.text == ")" { depth -= 1 }
                    if depth < 0 || (depth == 0 && ["JOIN", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION"].contains(t.upper)) { break }
                    if depth == 0 && t.is("ON") { hasOn = true }
                    j += 1
                }
                if hasOn { tokens.removeSubrange(i..<join) }
            }
            i += 1
        }
    }

    /// Words SQLite takes as names where PostgreSQL reserves them: quoted.
    static let reserved: Set<String> = ["USER"]

    private static let keywords: Set<String> = [
        "SET", "WHERE", "AND", "OR", "NOT", "NULL", "IS", "CASE", "WHEN", "THEN", "ELSE", "END", "EXCLUDED", "IN", "COALESCE",
        "TRUE", "FALSE", "DISTINCT", "FROM", "LIKE", "BETWEEN",
    ]

    /// In `ON CONFLICT … DO UPDATE SET a = a + excluded.a`, PostgreSQL finds `a` ambiguous: name the table.
    private func qualifyUpdateSet(_ tokens: inout [SQLToken], table: String) {
        guard
            let set = tokens.indices.first(where: { i in tokens[i].is("SET") && i > 2 && tokens[..<i].contains(where: { $0.is("CONFLICT") })
            })
        else { return }
        var i = set + 1
        var assigning = true
        while i < tokens.count {
            let tok = tokens[i]
            if tok.kind == .punct && tok.text == "," { assigning = true }
            if tok.kind == .word, !PostgresDialect.keywords.contains(tok.upper) {
                let before = i > 0 ? tokens[i - 1].text : ""
                let after = tokens.next(from: i + 1).map { tokens[$0].text } ?? ""
                if assigning && after == "=" {
                    assigning = false
                } else if before != ".", after != ".", after != "(" {
                    tokens[i].text = table + "." + tok.text
                }
            }
            if tok.is("WHERE") { assigning = false }
            i += 1
        }
    }
}
