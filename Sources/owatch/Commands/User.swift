import Foundation
import OWKit

enum UserCommand {
    static func record(_ u: User) -> Record {
        Record([("name", .text(u.name)), ("role", .text(u.role.rawValue)), ("dept", .text(u.dept)), ("email", .text(u.email)),
                ("status", .text(u.status)), ("created_at", .text(u.createdAt)), ("offboarded_at", .text(u.offboardedAt)),
                ("full_name", .text(u.fullName))])
    }

    static func expiry(_ token: IssuedToken) -> String { Time.rfc3339(Date(timeIntervalSince1970: Double(token.claims.expires))) }

    static func add(_ inv: Invocation) throws {
        guard let roleText = inv.value("role") else { throw OWError.usage("owatch user add needs --role ROLE", hint: "roles are: admin, employee, scanner") }
        let role = try Role.parse(roleText)
        let name = inv.argument(0)
        if let out = inv.value("token-out"), FileSystem.exists(out) {
            throw OWError.refused("\(out) exists; owatch does not overwrite token files", hint: "choose another --token-out path")
        }
        let (user, token) = try Users.addWithToken(inv.session, name: name, role: role, dept: inv.value("dept"), email: inv.value("email"),
                                                  fullName: inv.value("full-name"), ttl: try inv.duration("expires"))
        var r = record(user)
        if let out = inv.value("token-out") {
            try FileSystem.writeAtomically(out, contents: token.text + "\n")
            r.fields.append((key: "token_file", value: .text(out)))
            inv.note("Added \(user.name) (\(role.rawValue)). Token written to \(out) (mode 0600); they install it with `owatch login \(out)`.")
        } else {
            r.fields.append((key: "token", value: .text(token.text)))
            inv.note("Added \(user.name) (\(role.rawValue)). Hand them the token privately; they install it with `owatch login FILE`.")
        }
        r.fields.append((key: "token_expires_at", value: .text(expiry(token))))
        inv.emit(r)
    }

    static func list(_ inv: Invocation) throws {
        let role = try inv.value("role").map(Role.parse)
        let users = try Users.list(inv.session.db, includeOffboarded: !inv.flag("active"), role: role, dept: inv.value("dept"))
        inv.emit(users.map(record), columns: ["name", "role", "dept", "email", "status", "created_at", "offboarded_at", "full_name"])
    }

    static func show(_ inv: Invocation) throws {
        let user = try Users.get(inv.session.db, inv.argument(0))
        var r = record(user)
        let tokens = try Users.tokens(inv.session.db, user: user.name)
        let now = Time.rfc3339(Date())
        r.fields.append((key: "active_tokens", value: .int(Int64(tokens.filter { $0.revokedAt == nil && $0.expiresAt > now }.count))))
        var held = LicenseFilter()
        held.holder = user.name
        let licenses = try Licenses.list(inv.session.db, filter: held)
        r.fields.append((key: "licenses", value: .list(licenses.map(\.name))))
        r.fields.append((key: "monthly_cost", value: .list(Licenses.seatCostByCurrency(licenses).map(\.display))))
        inv.emit(r)
    }

    static func edit(_ inv: Invocation) throws {
        let user = try Users.edit(inv.session, name: inv.argument(0), dept: inv.value("dept"), email: inv.value("email"),
                                  fullName: inv.value("full-name"))
        inv.emitChanged(record(user), tableColumns: ["name", "full_name", "dept", "email"])
    }

    static func reactivate(_ inv: Invocation) throws {
        let user = try Users.reactivate(inv.session, name: inv.argument(0))
        inv.emitChanged(record(user), tableColumns: ["name", "role", "status"])
        inv.note("\(user.name) is active again as \(user.role.rawValue). Their old tokens stay revoked: "
                 + "issue one with `owatch user token \(ShellWord.quoted(user.name)) --out FILE`.")
    }

    static func role(_ inv: Invocation) throws {
        let user = try Users.setRole(inv.session, name: inv.argument(0), role: try Role.parse(inv.argument(1)))
        inv.emit(record(user))
        inv.note("\(user.name) is now \(user.role.rawValue); tokens issued for their old role no longer work. Issue a new one with `owatch user token \(user.name)`.")
    }

    static func token(_ inv: Invocation) throws {
        if inv.flag("all") { return try tokens(inv) }
        guard inv.arguments.count == 1 else {
            throw OWError.usage("owatch user token needs a NAME, or --all --out-dir DIR", hint: "owatch user token bob --out bob.token")
        }
        if inv.value("role") != nil || inv.value("out-dir") != nil { throw OWError.usage("--role and --out-dir go with --all") }
        if let out = inv.value("out"), FileSystem.exists(out) {
            throw OWError.refused("\(out) exists; owatch does not overwrite token files", hint: "choose another --out path")
        }
        let token = try Users.issueToken(inv.session, name: inv.argument(0), ttl: try inv.duration("expires"))
        if let out = inv.value("out") {
            try FileSystem.writeAtomically(out, contents: token.text + "\n")
            inv.note("Token for \(token.claims.subject) written to \(out) (mode 0600), valid until \(expiry(token)).")
            if inv.exporter.format != .table {
                inv.emit(Record([("user", .text(token.claims.subject)), ("jti", .text(token.claims.id)), ("expires_at", .text(expiry(token))), ("token_file", .text(out))]))
            }
        } else if inv.exporter.format == .table {
            inv.term.out(token.text + "\n")   // bare, so `owatch user token bob > bob.token` works
        } else {
            inv.emit(Record([("user", .text(token.claims.subject)), ("jti", .text(token.claims.id)), ("expires_at", .text(expiry(token))), ("token", .text(token.text))]))
        }
    }

    /// `user token --all --out-dir DIR`: a NAME.token file (0600) for every active person.
    static func tokens(_ inv: Invocation) throws {
        guard inv.arguments.isEmpty else { throw OWError.usage("--all takes no NAME") }
        guard let dir = inv.value("out-dir") else { throw OWError.usage("--all needs --out-dir DIR", hint: "owatch user token --all --out-dir tokens/") }
        guard FileSystem.isDirectory(dir) else { throw OWError(.missingInput, "no directory \(dir)", hint: "create it first: mkdir -m 700 \(dir)") }
        let role = try inv.value("role").map(Role.parse)
        // Every file is checked before any token is issued: nothing is overwritten, nothing half-done.
        let people = try Users.list(inv.session.db, includeOffboarded: false, role: role)
        let taken = people.map { dir + "/" + $0.name + ".token" }.filter(FileSystem.exists)
        if !taken.isEmpty {
            throw OWError.refused("\(taken.count) token file(s) exist already, e.g. \(taken[0]); owatch does not overwrite token files",
                                  hint: "choose an empty --out-dir")
        }
        let issued = try Users.issueTokens(inv.session, role: role, ttl: try inv.duration("expires"))
        var rows: [Record] = []
        for token in issued {
            let file = dir + "/" + token.claims.subject + ".token"
            try FileSystem.writeAtomically(file, contents: token.text + "\n")
            rows.append(Record([("user", .text(token.claims.subject)), ("role", .text(token.claims.role.rawValue)), ("jti", .text(token.claims.id)),
                                ("expires_at", .text(expiry(token))), ("token_file", .text(file))]))
        }
        inv.emit(rows, columns: ["user", "role", "jti", "expires_at", "token_file"])
        inv.note("Wrote \(issued.count) token file(s) (mode 0600) to \(dir). Hand each to its person privately.")
    }

    static func offboard(_ inv: Invocation) throws {
        let user = try Users.get(inv.session.db, inv.argument(0))
        try inv.confirm("Offboard \(user.name): revoke their tokens and free their seats?")
        let result = try Users.offboard(inv.session, name: user.name)
        var r = record(result.user)
        r.fields.append((key: "revoked_tokens", value: .int(Int64(result.revokedTokens))))
        r.fields.append((key: "freed_seats", value: .list(result.freedSeats)))
        r.fields.append((key: "monthly_saving", value: .list(result.monthlySaving.map(\.display))))
        inv.emit(r)
        let saving = result.monthlySaving.isEmpty ? "nothing" : result.monthlySaving.map(\.display).joined(separator: " + ")
        inv.note("Offboarded \(result.user.name): revoked \(result.revokedTokens) token(s), freed \(result.freedSeats.count) seat(s) worth \(saving) a month.")
    }
}

extension UserCommand {
    /// `user sync FILE`: the directory export's diff, printed before (or instead of, with --dry-run) applying it.
    static func sync(_ inv: Invocation) throws {
        let path = inv.argument(0)
        let (text, _) = try CSV.readText(path)
        let format: DirectoryFormat? = inv.choice("from")
        let o = try DirectorySync.run(inv.session, text: text, format: format, dryRun: inv.flag("dry-run"), offboardMissing: inv.flag("offboard-missing"))
        inv.emit(o.changes.map { Record([("change", .text($0.kind.rawValue)), ("user", .text($0.user)), ("email", .text($0.email)), ("what", .text($0.what))]) },
                 columns: ["change", "user", "email", "what"])
        let count = { (k: DirectorySync.ChangeKind) in o.changes.filter { $0.kind == k }.count }
        let saving = o.monthlySaving.isEmpty ? "" : ", saving " + o.monthlySaving.map(\.display).joined(separator: " + ") + " a month"
        inv.note("\(o.people) people in the \(o.format.rawValue) export: " + (o.dryRun ? "would add " : "added ") + "\(count(.add)), "
                 + (o.dryRun ? "update " : "updated ") + "\(count(.email) + count(.dept) + count(.name)), "
                 + (o.dryRun ? "offboard " : "offboarded ") + "\(count(.offboard)) (\(o.freedSeats) seat(s)\(saving)); \(count(.missing)) missing from it"
                 + (o.dryRun ? ". Dry run: nothing was written." : o.changes.isEmpty ? "; nothing to change." : "."))
    }
}
