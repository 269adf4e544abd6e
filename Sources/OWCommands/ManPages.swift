import FoundationEssentials
import OWCLI
import OWKit

/// mdoc(7) manual pages generated from the command table: owatch(1) and owatch-NOUN(1).
enum ManPages {
    /// Fixed so generated pages are reproducible; bump with the version.
    static let date = "November 25, 2026"

    /// Escapes prose for mdoc: backslashes, a leading dot or quote, and one sentence per line.
    static func escape(_ s: String) -> String {
        let t = s.replacingAll("\\", with: "\\e")
            .sentencePerLine
        return t.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }

    static func all() -> [(file: String, text: String)] {
        [("owatch.1", overview())] + helpText.nounOrder.map { ("owatch-\($0).1", page(noun: $0)) }
    }

    static func synopsis(_ c: Command) -> String {
        var out = ".Nm owatch\n.Cm \(c.path)\n"
        for a in c.arguments {
            let ar = ".Ar \(a.name)" + (a.variadic ? " ..." : "")
            out += a.optional ? ".Op \(ar.dropFirst())\n" : ar + "\n"
        }
        for o in c.options {
            out += ".Op Fl -\(o.long)" + (o.value.map { " Ar \($0)" } ?? "") + "\n"
        }
        return out
    }

    static func optionList(_ options: [Option]) -> String {
        guard !options.isEmpty else { return "" }
        var out = ".Bl -tag -width Ds\n"
        for o in options {
            let short = o.short.map { "Fl \($0) , " } ?? ""
            out += ".It \(short)Fl -\(o.long)" + (o.value.map { " Ar \($0)" } ?? "") + "\n"
            out += escape(o.help + (o.choices.isEmpty ? "" : ": one of \(o.choices.joined(separator: ", "))") + ".") + "\n"
        }
        return out + ".El\n"
    }

    static let exitStatus = """
        .Sh EXIT STATUS
        .Bl -tag -width Ds -compact
        .It 0
        success
        .It 1
        refused by a rule, or not found
        .It 64
        usage error
        .It 65
        bad input data, or a failed audit verification
        .It 66
        input file or ledger missing
        .It 69
        unavailable: a PostgreSQL ledger's server cannot be reached, or libpq (Debian package libpq5) is not installed
        .It 74
        I/O error
        .It 75
        the ledger is busy; retry
        .It 77
        not permitted: token, role or file permissions
        .El

        """

    static func header(_ name: String, _ summary: String) -> String {
        ".Dd \(date)\n.Dt \(name.uppercased()) 1\n.Os\n.Sh NAME\n.Nm \(name)\n.Nd \(escape(summary))\n"
    }

    static func page(noun: String) -> String {
        let n = nouns.first { $0.name == noun }
        let cmds = helpText.visible.filter { $0.noun == noun }
        var out = header("owatch-\(noun)", n?.summary ?? cmds[0].summary)
        out += ".Sh SYNOPSIS\n" + cmds.map(synopsis).joined(separator: ".Pp\n")
        out += ".Sh DESCRIPTION\n" + escape(n?.description ?? cmds[0].summary) + "\n"
        for c in cmds {
            if cmds.count > 1 || c.verb != nil { out += ".Ss \(c.path)\n" }
            out += escape(c.summary.prefix(1).uppercased() + c.summary.dropFirst() + ".") + "\n"
            if let roles = c.roles, roles != everyone {
                out += "Needs role " + Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: " or ") + ".\n"
            }
            out += optionList(c.options)
        }
        // Each key once, where the noun's commands first write it; a key two commands mean
        // differently by (a finding's id, a source's id) says both.
        var keys: [(key: String, docs: [String])] = []
        for d in cmds.flatMap(\.output) {
            if let i = keys.firstIndex(where: { $0.key == d.key }) {
                if !keys[i].docs.contains(d.doc) { keys[i].docs.append(d.doc) }
            } else {
                keys.append((d.key, [d.doc]))
            }
        }
        if !keys.isEmpty {
            out +=
                ".Sh OUTPUT\nWith\n.Fl -format Ar json ,\n.Ar jsonl\nor\n.Ar csv\nrows carry these keys; money fields X also carry X_minor and currency.\n.Bl -tag -width Ds -compact\n"
            for (k, docs) in keys { out += ".It Sy \(k)\n\(escape(docs.joined(separator: "; ")))\n" }
            out += ".El\n"
        }
        out += exitStatus
        let examples = cmds.flatMap(\.examples)
        if !examples.isEmpty {
            out += ".Sh EXAMPLES\n.Bd -literal -offset indent\n" + examples.map { escape($0) + "\n" }.joined() + ".Ed\n"
        }
        out += ".Sh SEE ALSO\n.Xr owatch 1\n"
        return out
    }

    static func overview() -> String {
        var out = header("owatch", "software spend, seats, requests and approvals for a small office")
        out += ".Sh SYNOPSIS\n.Nm\n.Ar command\n.Op Ar verb\n.Op Ar arguments\n.Op Ar options\n"
        out +=
            ".Sh DESCRIPTION\n.Nm\nkeeps an office's software inventory, requests, approvals and spend in one SQLite ledger.\nRoles are enforced by signed Ed25519 token files.\nEvery command prints a table, JSON, JSON lines or CSV.\nOn a terminal a table fits its width: the less important columns are left out first, then words are cut with an ellipsis; an amount, a date or an id is shown whole or its column is left out, never cut.\n.Fl -wide\nshows every column, whole.\n"
        out += ".Ss Commands\n.Bl -tag -width Ds\n"
        for c in helpText.visible { out += ".It Cm \(c.path)\n\(escape(c.summary)).\n" }
        out += ".El\n.Ss Global options\n" + optionList(globalOptions)
        out += """
            .Sh ENVIRONMENT
            .Bl -tag -width Ds
            .It Ev OWATCH_LEDGER , OWATCH_TOKEN , OWATCH_KEY
            override the ledger, token and issuer key paths.
            .It Ev OWATCH_FORMAT
            default output format.
            .It Ev NO_COLOR
            disables colour.
            .It Ev XDG_DATA_HOME , XDG_CONFIG_HOME
            base directories of the default paths.
            .El
            .Sh FILES
            .Bl -tag -width Ds
            .It Pa $XDG_DATA_HOME/owatch/ledger.db
            the ledger (SQLite, WAL mode)
            .It Pa $XDG_CONFIG_HOME/owatch/token
            your token, mode 0600
            .It Pa $XDG_CONFIG_HOME/owatch/issuer.key
            the issuer's Ed25519 private key (PKCS#8 PEM), mode 0600
            .El

            """
        out += exitStatus
        out += ".Sh SEE ALSO\n" + helpText.nounOrder.sorted().map { ".Xr owatch-\($0) 1" }.joined(separator: " ,\n") + "\n"
        return out
    }
}

extension String {
    /// A line break for the spaces after `.`, `!` or `?` (but not after "e.g." or "i.e."): the
    /// expression `(?<!e\.g|i\.e)([.!?]) +` → `$1\n`, by hand.
    fileprivate var sentencePerLine: String {
        let s = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            out.append(s[i])
            if ".!?".unicodeScalars.contains(s[i]), i + 1 < s.count, s[i + 1] == " " {
                let before = i >= 3 ? String(String.UnicodeScalarView(s[(i - 3)..<i])) : ""
                if before != "e.g" && before != "i.e" {
                    out.append("\n")
                    i += 1
                    while i < s.count && s[i] == " " { i += 1 }
                    continue
                }
            }
            i += 1
        }
        return String(out)
    }
}
