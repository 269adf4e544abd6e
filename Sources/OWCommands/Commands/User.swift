import FoundationEssentials
import OWCLI
import OWKit

enum UserCommand {
    static let shape = User.shape

    /// A token just issued, and the file it went to (nil: it is printed).
    struct Issued {
        let token: IssuedToken
        var file: String? = nil
    }

    static let tokenFile = Field<Issued>("token_file", "the file the token was written to") { $0.file.map { .text($0) } }
    static let tokenText = Field<Issued>("token", "the token itself, when no file was named") {
        $0.file == nil ? .text($0.token.text) : nil
    }
    static let tokenUser = Field<Issued>("user", "user name") { .text($0.token.claims.subject) }
    static let tokenID = Field<Issued>("jti", "token id", kind: .code) { .text($0.token.claims.id) }
    static let tokenExpiry = Field<Issued>("expires_at", "RFC 3339", kind: .date) { .text($0.token.claims.expiresAt) }

    static let issuedShape = Shape([tokenUser, tokenID, tokenExpiry, tokenFile, tokenText])
    static let tokenFilesShape = Shape([
        tokenUser, Field("role", "role at issue", kind: .code) { .text($0.token.claims.role.rawValue) }, tokenID, tokenExpiry, tokenFile,
    ])

    struct Added {
        let user: User
        let issued: Issued
    }

    static let addedShape = shape.pulledBack { (a: Added) in a.user }.adding(
        [tokenFile, tokenText].map { $0.pulledBack { (a: Added) in a.issued } } + [
            Field("token_expires_at", "user add: RFC 3339 time the token expires", kind: .date) { .text($0.issued.token.claims.expiresAt) }
        ])

    static let detailShape = UserDetail.shape

    static let offboardedShape = Users.Offboarding.shape

    static let syncShape = DirectorySync.Change.shape

    static func add(_ inv: Call<AddOption>) throws {
        let role = try Role.parse(inv.value(.role)!)  // required
        let name = inv.argument(0)
        try Invocation.refuseExistingTokenFile(inv.value(.tokenOut), option: "token-out")
        let (user, token) = try Users.addWithToken(
            inv.session, name: name, role: role, dept: inv.value(.dept), email: inv.value(.email),
            fullName: inv.value(.fullName), ttl: try inv.duration(.expires))
        let file = inv.value(.tokenOut)
        if let file {
            try FileSystem.writeAtomically(file, contents: token.text + "\n")
            inv.note(
                "Added \(user.name) (\(role.rawValue)). Token written to \(file) (mode 0600); they install it with `owatch login \(file)`.")
        } else {
            inv.note("Added \(user.name) (\(role.rawValue)). Hand them the token privately; they install it with `owatch login FILE`.")
        }
        // Written to a file, the token is in hand and the record is a change's (printed with --verbose or a format);
        // else the record carries the token, the only copy there is.
        let added = Added(user: user, issued: Issued(token: token, file: file))
        if file == nil { inv.emit(added, as: addedShape) } else { inv.emitChanged(added, as: addedShape) }
    }

    static func list(_ inv: Call<ListOption>) throws {
        let role = try inv.value(.role).map(Role.parse)
        let users = try Users.list(inv.session.db, includeOffboarded: !inv.flag(.active), role: role, dept: inv.value(.dept))
        inv.emit(users, as: shape)
    }

    static func show(_ inv: Invocation) throws {
        inv.emit(try UserDetail.load(inv.session.db, name: inv.argument(0), now: Date()), as: detailShape)
    }

    static func edit(_ inv: Call<EditOption>) throws {
        let user = try Users.edit(
            inv.session, name: inv.argument(0), dept: inv.value(.dept), email: inv.value(.email),
            fullName: inv.value(.fullName))
        inv.emitChanged(user, as: shape.showing(["name", "full_name", "dept", "email"]))
        inv.note("Edited \(user.name).")
    }

    static func reactivate(_ inv: Invocation) throws {
        let user = try Users.reactivate(inv.session, name: inv.argument(0))
        inv.emitChanged(user, as: shape.showing(["name", "role", "status"]))
        inv.note(
            "\(user.name) is active again as \(user.role.rawValue). Their old tokens stay revoked: "
                + "issue one with `owatch user token \(ShellWord.quoted(user.name)) --out FILE`.")
    }

    static func role(_ inv: Invocation) throws {
        let user = try Users.setRole(inv.session, name: inv.argument(0), role: try Role.parse(inv.argument(1)))
        inv.emitChanged(user, as: shape)
        inv.note(
            "\(user.name) is now \(user.role.rawValue); tokens issued for their old role no longer work. Issue a new one with `owatch user token \(user.name)`."
        )
    }

    static func token(_ inv: Call<TokenOption>) throws {
        if inv.flag(.all) { return try tokens(inv) }
        guard inv.arguments.count == 1 else {
            throw OWError.usage("owatch user token needs a NAME, or --all --out-dir DIR", hint: "owatch user token bob --out bob.token")
        }
        if inv.value(.role) != nil || inv.value(.outDir) != nil { throw OWError.usage("--role and --out-dir go with --all") }
        try Invocation.refuseExistingTokenFile(inv.value(.out), option: "out")
        let token = try Users.issueToken(inv.session, name: inv.argument(0), ttl: try inv.duration(.expires))
        if let out = inv.value(.out) {
            try FileSystem.writeAtomically(out, contents: token.text + "\n")
            inv.note("Token for \(token.claims.subject) written to \(out) (mode 0600), valid until \(token.claims.expiresAt).")
            inv.emit(Issued(token: token, file: out), as: issuedShape, inTable: {})
        } else {
            // Bare in a table, so `owatch user token bob > bob.token` works.
            inv.emit(Issued(token: token), as: issuedShape, inTable: { inv.term.out(token.text + "\n") })
        }
    }

    /// `user token --all --out-dir DIR`: a NAME.token file (0600) for every active person.
    static func tokens(_ inv: Call<TokenOption>) throws {
        guard inv.arguments.isEmpty else { throw OWError.usage("--all takes no NAME") }
        guard let given = inv.value(.outDir) else {
            throw OWError.usage("--all needs --out-dir DIR", hint: "owatch user token --all --out-dir tokens/")
        }
        // `tokens/` and `tokens` name the same folder; its files are printed as `tokens/bob.token`.
        var dir = given
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        var created = false
        if !FileSystem.isDirectory(dir) {
            guard !FileSystem.exists(dir) else { throw OWError.usage("--out-dir \(given) is a file, not a folder") }
            created = true
        }
        let role = try inv.value(.role).map(Role.parse)
        // Every file is checked before any token is issued: nothing is overwritten, nothing half-done.
        let people = try Users.list(inv.session.db, includeOffboarded: false, role: role)
        let folder = dir == "/" ? dir : dir + "/"
        let taken = people.map { folder + $0.name + ".token" }.filter(FileSystem.exists)
        if !taken.isEmpty {
            throw OWError.refused(
                "\(taken.count) token file(s) exist already, e.g. \(taken[0]); owatch does not overwrite token files",
                hint: "choose an empty --out-dir")
        }
        let issued = try Users.issueTokens(inv.session, role: role, ttl: try inv.duration(.expires))
        if created {
            try FileSystem.makeDirectory(dir, mode: 0o700)
            inv.note("Created \(folder) (mode 0700).")
        }
        var written: [Issued] = []
        for token in issued {
            let file = folder + token.claims.subject + ".token"
            try FileSystem.writeAtomically(file, contents: token.text + "\n")
            written.append(Issued(token: token, file: file))
        }
        inv.emit(written, as: tokenFilesShape)
        inv.note("Wrote \(issued.count) token file(s) (mode 0600) to \(dir). Hand each to its person privately.")
    }

    static func offboard(_ inv: Call<OffboardOption>) throws {
        let user = try Users.get(inv.session.db, inv.argument(0))
        try inv.confirm("Offboard \(user.name): revoke their tokens and free their seats?")
        let result = try Users.offboard(inv.session, name: user.name)
        inv.emit(result, as: offboardedShape)
        let saving = result.monthlySaving.isEmpty ? "nothing" : result.monthlySaving.map(\.display).joined(separator: " + ")
        inv.note(
            "Offboarded \(result.user.name): revoked \(result.revokedTokens) token(s), freed \(result.freedSeats.count) seat(s) worth \(saving) a month."
        )
    }
}

extension UserCommand {
    /// `user sync FILE`: the directory export's diff, printed before (or instead of, with --dry-run) applying it.
    static func sync(_ inv: Call<SyncOption>) throws {
        var options = DirectorySync.Options(offboardMissing: inv.flag(.offboardMissing), includeGuests: inv.flag(.includeGuests))
        for m in inv.values(.match) {
            let parts = m.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("@") else {
                throw OWError.usage("--match takes NAME=ADDRESS, not '\(m)'", hint: "e.g. --match marta=marta.schulz@example.com")
            }
            options.matches.append((parts[0], parts[1]))
        }
        try sync(inv, format: inv.choice(.from), dryRun: inv.flag(.dryRun), verbose: inv.flag(.verbose), options: options)
    }

    /// `user import FILE`: a sync that only adds.
    static func importUsers(_ inv: Call<ImportOption>) throws {
        let options = DirectorySync.Options(offboardMissing: false, includeGuests: false)
        try sync(inv, format: inv.choice(.from), dryRun: inv.flag(.dryRun), verbose: inv.flag(.verbose), options: options)
    }

    static func sync(_ inv: Invocation, format: DirectoryFormat?, dryRun: Bool, verbose: Bool, options: DirectorySync.Options) throws {
        let (text, _) = try inv.readText(inv.argument(0))
        let o = try DirectorySync.run(inv.session, text: text, format: format, dryRun: dryRun, options: options)
        inv.emit(o.changes, as: syncShape)
        if !o.skipped.isEmpty {
            let guests = o.skipped.filter { $0.kind == .guest }.count
            let services = o.skipped.count - guests
            inv.note(
                "Skipped \(guests) guest(s) and \(services) service account(s): not people of the office"
                    + (verbose ? ":" : " (--verbose lists them)")
                    + (guests > 0 ? "; --include-guests adds the guests, as guests (no leave allowance)." : "."))
            if verbose {
                for p in o.skipped {
                    inv.note(
                        "  line \(p.line): \(p.kind == .guest ? "guest" : "service account") \(p.email)"
                            + (p.fullName.map { " (\($0))" } ?? ""))
                }
            }
        }
        let count = { (k: DirectorySync.ChangeKind) in o.changes.filter { $0.kind == k }.count }
        let saving = o.monthlySaving.isEmpty ? "" : ", saving " + o.monthlySaving.map(\.display).joined(separator: " + ") + " a month"
        inv.note(
            "\(o.people) people in the \(o.format.rawValue) export: " + (o.dryRun ? "would add " : "added ") + "\(count(.add)), "
                + (o.dryRun ? "update " : "updated ") + "\(count(.email) + count(.dept) + count(.name)), "
                + (o.dryRun ? "offboard " : "offboarded ")
                + "\(count(.offboard)) (\(o.freedSeats) seat(s)\(saving)); \(count(.missing)) missing from it"
                + (count(.ambiguous) > 0 ? "; \(count(.ambiguous)) row(s) left alone: their name fits more than one person" : "")
                + (count(.offer) > 0
                    ? "; \(count(.offer)) row(s) not added: they may be people here without an e-mail (answer with --match NAME=ADDRESS)"
                    : "")
                + (o.dryRun ? ". Dry run: nothing was written." : o.changes.isEmpty ? "; nothing to change." : "."))
    }
}

/// `owatch user`: its manual page.
let userNoun = Noun(
    name: "user", summary: "manage the people of the office",
    description: """
        user sync FILE reads a directory export, recognised by its header row (--from forces google, okta, entra, scim, csv or snipe-it): the Google Workspace admin console user download (First Name [Required], Last Name [Required], Email Address [Required], Org Unit Path [Required], Department, Status [READ ONLY] with Active, Suspended or Archived, Last Sign In [READ ONLY] where Never logged in means never); Okta's user export as CSV (login or Username, email, firstName, lastName, status, lastLogin, with or without the profile.
        user import FILE adds the people of another tool's user export and never offboards anyone: Snipe-IT's users CSV (sample_csvs/users-sample.csv: First Name, Last Name, Email, Username, Activated, Department, Employee Number; recognised by its header or --from snipe-it) is read as user sync reads a directory, people matched by e-mail, those not activated left out, and --dry-run shows the diff; user sync reads it too.
        prefix) or the JSON of /api/v1/users (status, lastLogin, profile.login, profile.email, profile.department); the Microsoft Entra ID Download users CSV (userPrincipalName, displayName, mail, department, accountEnabled); a SCIM 2.0 ListResponse or array of Users (RFC 7643: userName, name, emails, active, the enterprise extension's department); and CSV with name,email,department,status.
        It prints one diff (change: add, email, dept, name, guest, offboard, missing, kept, ambiguous or offer) before it changes anything; --dry-run prints only the diff.
        People are matched by the directory's own id for them first, where the export carries one (Entra's objectId or id, Google's Employee ID, Okta's id, SCIM's id; kept as directory_id), so a changed address with the same id is an e-mail change; then by e-mail across the whole export; then, among those left, by full name, then by an address whose local part is the user name of someone without an e-mail, each only where it fits exactly one person and one row.
        A name that fits several is reported as ambiguous and guessed at by no change: the row is not added and the people it fits are neither changed nor offboarded.
        A row whose name fits a person here who has no e-mail (owatch init --admin marta, then Marta Schulz, marta.schulz@ in the export) is offered as a match, not added: --match marta=marta.schulz@example.com (or user edit marta --email ...) takes it.
        The directory's guests (Entra userType Guest or an invited #EXT# address, SCIM userType Guest or External) and service accounts (Entra Connect's Sync_ account, svc- and noreply addresses) are not added: they are counted, listed with --verbose, and guests are added as guests (no leave allowance unless config leave.allowance.NAME gives one) with --include-guests; rows of people already here are matched by id or e-mail only.
        New people are employees named after their address's local part, folded to ASCII and made unique (zoë.lefèvre@ becomes zoe.lefevre, with Zoë Lefèvre as the full name).
        Suspended, deprovisioned, archived or disabled people are offboarded exactly as user offboard does (seats freed, tokens revoked) and the monthly saving is printed; Okta's STAGED, PROVISIONED, LOCKED_OUT, RECOVERY and PASSWORD_EXPIRED never offboard anyone.
        Active people the export does not list are reported as missing (their seats count as orphaned in report reclaim) and offboarded only with --offboard-missing.
        Admins and scanners are never offboarded or demoted by a sync.
        A row without e-mail, a repeated e-mail or a status the format does not define is reported by line (the header is line 1) and nothing is written; the whole diff is one transaction with its audit events, and the same export synced twice changes nothing the second time.
        People have one role: admin (approves; manages licenses, users and configuration), employee (requests; sees their own requests and seats) or scanner (may run scans and nothing else).
        Changing a role makes every token issued for the old role stop working.
        Offboarding revokes every token the person was issued and frees their seats; user reactivate brings the person back (a new token is needed).
        The last active admin can be neither demoted nor offboarded.
        user token --all --out-dir DIR re-issues tokens for everyone (or one --role) into NAME.token files, mode 0600; DIR is created (mode 0700) when missing.
        Holding the issuer key is a way back in: owatch user token NAME --key PATH mints a token without a valid one, refused unless the key's public half is an unrevoked issuer of the ledger, and audited with the actor issuer.
        """
)

/// `owatch user …`: its commands, in help order.
let userCommands: [Command] = [
    Command(
        noun: "user", verb: "add", summary: "add a person with a role, and issue their first token",
        arguments: [Argument(name: "NAME")],
        options: UserCommand.AddOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch user add bob --role employee --dept sales --token-out bob.token",
            "owatch user add cron --role scanner --token-out /etc/owatch/scanner.token",
        ],
        output: UserCommand.addedShape.docs, run: UserCommand.add),
    Command(
        noun: "user", verb: "list", summary: "list people",
        options: UserCommand.ListOption.self,
        access: .roles(adminOnly),
        examples: ["owatch user list", "owatch user list --json | jq -r '.[] | select(.role==\"admin\") | .name'"],
        output: UserCommand.shape.docs, run: UserCommand.list),
    Command(
        noun: "user", verb: "show", summary: "show one person", arguments: [Argument(name: "NAME")],
        access: .roles(adminOnly), examples: ["owatch user show bob --json"], output: UserCommand.detailShape.docs, run: UserCommand.show),
    Command(
        noun: "user", verb: "edit", summary: "change a person's department, e-mail or full name ('' clears one)",
        arguments: [Argument(name: "NAME")],
        options: UserCommand.EditOption.self,
        access: .roles(adminOnly),
        examples: ["owatch user edit bob --dept marketing --full-name 'Bob Stone'", "owatch user edit bob --email ''"],
        output: UserCommand.shape.docs, run: UserCommand.edit),
    Command(
        noun: "user", verb: "reactivate", summary: "make an offboarded person active again (they need a new token)",
        arguments: [Argument(name: "NAME")],
        access: .roles(adminOnly), examples: ["owatch user reactivate bob && owatch user token bob --out bob.token"],
        output: UserCommand.shape.docs, run: UserCommand.reactivate),
    Command(
        noun: "user", verb: "role", summary: "change a person's role; their old tokens stop working",
        arguments: [Argument(name: "NAME"), Argument(name: "ROLE", choices: Role.allCases.map(\.rawValue))],
        access: .roles(adminOnly), examples: ["owatch user role bob admin"], output: UserCommand.shape.docs, run: UserCommand.role),
    Command(
        noun: "user", verb: "token", summary: "issue a new token for a person, or for everyone with --all",
        arguments: [Argument(name: "NAME", optional: true)],
        options: UserCommand.TokenOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch user token bob --out bob.token --expires 30d",
            "owatch user token alice --key ~/.config/owatch/issuer.key --out alice.token   # locked out: the key mints it",
            "owatch user token --all --role employee --out-dir tokens/",
        ],
        output: UserCommand.issuedShape.docs + UserCommand.tokenFilesShape.docs, issuerKeyStandsIn: true, run: UserCommand.token),
    Command(
        noun: "user", verb: "offboard", summary: "deactivate a person, revoke their tokens and free their seats",
        arguments: [Argument(name: "NAME")],
        options: UserCommand.OffboardOption.self,
        access: .roles(adminOnly), examples: ["owatch user offboard bob", "owatch user offboard bob --yes   # from a script"],
        output: UserCommand.offboardedShape.docs, run: UserCommand.offboard),
    Command(
        noun: "user", verb: "sync", summary: "bring people in from a directory export (Google Workspace, Okta, Entra ID, SCIM, CSV)",
        arguments: [Argument(name: "FILE", file: .input)],
        options: UserCommand.SyncOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch user sync users.csv --dry-run", "owatch user sync okta-users.json --offboard-missing",
            "owatch user sync scim.json --json | jq .",
            "owatch user sync google-users.csv --match marta=marta.schulz@example.com",
            "owatch user sync entra-users.csv --include-guests --verbose",
        ],
        output: UserCommand.syncShape.docs, run: UserCommand.sync),
    Command(
        noun: "user", verb: "import",
        summary: "add the people of another tool's user export (Snipe-IT's users CSV), all or nothing; never offboards",
        arguments: [Argument(name: "FILE", file: .input)],
        options: UserCommand.ImportOption.self,
        access: .roles(adminOnly),
        examples: ["owatch user import --from snipe-it users.csv --dry-run", "owatch user import --from snipe-it users.csv"],
        output: UserCommand.syncShape.docs, run: UserCommand.importUsers),
]

extension UserCommand {
    enum AddOption: String, OptionKeys {
        case role, dept, email
        case fullName = "full-name"
        case tokenOut = "token-out"
        case expires

        var spec: Option {
            switch self {
            case .role:
                Option(
                    value: "ROLE", "admin, employee or scanner (required)", choices: Role.allCases.map(\.rawValue),
                    required: .message("owatch user add needs --role ROLE", hint: "roles are: admin, employee, scanner"))
            case .dept: Option(value: "DEPT", "department")
            case .email: Option(value: "EMAIL", "email address")
            case .fullName: Option(value: "NAME", "the person's full name, e.g. 'Zoë Lefèvre'")
            case .tokenOut: Option(value: "FILE", "write the new token to FILE (0600) instead of stdout", file: .output)
            case .expires: Option(value: "DURATION", "token lifetime, e.g. 90d (default: config token.lifetime)", kind: .duration)
            }
        }
    }

    enum ListOption: String, OptionKeys {
        case role, dept, active

        var spec: Option {
            switch self {
            case .role: Option(value: "ROLE", "only this role", choices: Role.allCases.map(\.rawValue))
            case .dept: Option(value: "DEPT", "only this department")
            case .active: Option("hide offboarded people")
            }
        }
    }

    enum EditOption: String, OptionKeys {
        case dept, email
        case fullName = "full-name"

        var spec: Option {
            switch self {
            case .dept: Option(value: "DEPT", "department")
            case .email: Option(value: "EMAIL", "email address")
            case .fullName: Option(value: "NAME", "full name")
            }
        }
    }

    enum TokenOption: String, OptionKeys {
        case out, expires, all, role
        case outDir = "out-dir"

        var spec: Option {
            switch self {
            case .out: Option(short: "o", value: "FILE", "write the token to FILE (0600) instead of stdout", file: .output)
            case .expires: Option(value: "DURATION", "token lifetime, e.g. 30d (default: config token.lifetime)", kind: .duration)
            case .all: Option("a new token for every active person (with --out-dir)")
            case .role: Option(value: "ROLE", "with --all: only people of this role", choices: Role.allCases.map(\.rawValue))
            case .outDir:
                Option(
                    value: "DIR", "with --all: write NAME.token files (0600) into DIR, created (0700) if missing",
                    file: .outputDirectory)
            }
        }
    }

    enum OffboardOption: String, OptionKeys, Confirming {
        case yes

        var spec: Option {
            switch self {
            case .yes: Option(short: "y", "do not ask for confirmation (it is asked only on a terminal)")
            }
        }
    }
}

extension UserCommand {
    enum SyncOption: String, OptionKeys {
        case from
        case dryRun = "dry-run"
        case offboardMissing = "offboard-missing"
        case includeGuests = "include-guests"
        case match, verbose

        var spec: Option {
            switch self {
            case .from:
                Option(
                    value: "FORMAT", "the export's format when its header does not say",
                    choices: DirectoryFormat.allCases.map(\.rawValue))
            case .dryRun: Option("show the diff; write nothing")
            case .offboardMissing: Option("offboard active people the export does not list (admins and scanners never)")
            case .includeGuests: Option("add the directory's guests too, as guests (no leave allowance); service accounts never")
            case .match:
                Option(
                    value: "NAME=ADDRESS", "the export's row with ADDRESS is the person NAME here (repeatable; answers an offer)",
                    repeatable: true)
            case .verbose: Option("list the guests and service accounts skipped")
            }
        }
    }

    enum ImportOption: String, OptionKeys {
        case from
        case dryRun = "dry-run"
        case verbose

        var spec: Option {
            switch self {
            case .from:
                Option(value: "FORMAT", "the export's tool (default: from its header)", choices: DirectoryFormat.allCases.map(\.rawValue))
            case .dryRun: Option("show each person as read and what would change; write nothing")
            case .verbose: Option("list the guests and service accounts skipped")
            }
        }
    }
}
