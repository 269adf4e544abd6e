import FoundationEssentials
import OWCore
import OWIdentity

/// Reading the exports (Google, Okta, Entra, SCIM, Snipe-IT, CSV), every row checked before any is used.
extension DirectorySync {
    /// The people of an export, every row checked first: a row with no e-mail, a repeated e-mail
    /// or a status its format does not define is reported by line, and nothing is read.
    public static func read(_ text: String, format forced: DirectoryFormat?) throws -> (DirectoryFormat, [DirectoryPerson]) {
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        let format: DirectoryFormat
        var people: [DirectoryPerson] = []
        var problems: [String] = []
        if trimmed.first == "{" || trimmed.first == "[" {
            format = forced ?? .scim
            people = try readJSON(String(trimmed), format: format, problems: &problems)
        } else {
            let records = try CSV.parse(text, delimiter: CSV.detectDelimiter(text))
            guard let header = records.first else { throw OWError.badData("the export is empty") }
            let names = header.fields.map { CSV.trim($0).lowercased() }
            guard let f = forced ?? detect(names) else {
                throw OWError.badData(
                    "the export's header is not one I know: \(names.prefix(6).joined(separator: ", "))",
                    hint:
                        "expected a Google Workspace, Okta or Microsoft Entra ID user export, SCIM 2.0 JSON, or CSV with name,email,department,status; or say which with --from"
                )
            }
            format = f
            people = try readCSV(records, names: names, format: f, problems: &problems)
        }
        var seen: [String: Int] = [:]
        var seenIDs: [String: Int] = [:]
        for p in people {
            if let first = seen[p.email] {
                problems.append("line \(p.line): \(p.email) is already on line \(first)")
            } else {
                seen[p.email] = p.line
            }
            if let id = p.directoryID {
                if let first = seenIDs[id] {
                    problems.append("line \(p.line): the directory id \(id.prefix(80)) is already on line \(first)")
                } else {
                    seenIDs[id] = p.line
                }
            }
            if let n = p.fullName, (try? Users.validateFullName(n)) == nil {
                problems.append("line \(p.line): the name is not 1-200 characters on one line")
            }
        }
        if !problems.isEmpty {
            var e = OWError.badData("\(problems.count) bad row(s) in the export; nothing was changed")
            e.details = Array(problems.prefix(50))
            throw e
        }
        return (format, people)
    }

    package static func detect(_ names: [String]) -> DirectoryFormat? {
        let has = Set(names)
        if has.contains(DirectoryFormat.googleColumns.email) { return .google }
        if has.contains("userprincipalname") { return .entra }
        if has.contains("profile.login")
            || ((has.contains("login") || has.contains("username")) && has.contains("status")
                && (has.contains("lastlogin") || has.contains("last login")))
        {
            return .okta
        }
        if has.contains("username") && has.contains("activated") && has.contains("first name") { return .snipeIT }
        if has.contains("email") && has.contains("name") { return .csv }
        return nil
    }

    static func readCSV(_ records: [CSV.Line], names: [String], format: DirectoryFormat, problems: inout [String]) throws
        -> [DirectoryPerson]
    {
        func column(_ candidates: String...) -> Int? { candidates.lazy.compactMap { names.firstIndex(of: $0) }.first }
        let g = DirectoryFormat.googleColumns
        let email: Int?
        let status: Int?
        let dept: Int?
        let signIn: Int?
        let full: [Int]
        switch format {
        case .google:
            email = column(g.email)
            status = column(g.status)
            dept = column(g.dept)
            signIn = column(g.signIn)
            full = [column(g.first), column(g.last)].compactMap { $0 }
        case .okta:
            email = column("profile.email", "email", "primary email", "profile.login", "login", "username")
            status = column("status")
            dept = column("profile.department", "department")
            signIn = column("lastlogin", "last login")
            full = [column("profile.firstname", "firstname", "first name"), column("profile.lastname", "lastname", "last name")].compactMap
            { $0 }
        case .entra:
            email = column("mail", "userprincipalname")
            status = column("accountenabled")
            dept = column("department")
            signIn = nil
            full = [column("displayname")].compactMap { $0 }
        case .snipeIT:
            email = column("email", "e-mail")
            status = column("activated")
            dept = column("department")
            signIn = nil
            full = [column("first name", "first_name"), column("last name", "last_name")].compactMap { $0 }
        case .csv, .scim:
            email = column("email", "e-mail", "mail")
            status = column("status")
            dept = column("department", "dept")
            signIn = column("last_sign_in", "last_login")
            full = [column("name", "full_name")].compactMap { $0 }
        }
        // Entra's download keeps the UPN when mail is empty.
        let upn = format == .entra ? column("userprincipalname") : nil
        let idColumn = format.idColumns().lazy.compactMap { names.firstIndex(of: $0) }.first
        let typeColumn = format == .entra ? column("usertype") : nil
        guard let email else { throw OWError.badData("the \(format.rawValue) export has no e-mail column") }
        var out: [DirectoryPerson] = []
        out.reserveCapacity(records.count)
        for r in records.dropFirst() {
            func field(_ i: Int?) -> String? {
                i.flatMap { $0 < r.fields.count ? CSV.trim(r.fields[$0]) : nil }.flatMap { $0.isEmpty ? nil : $0 }
            }
            guard let address = (field(email) ?? field(upn))?.lowercased() else {
                problems.append("line \(r.line): no e-mail address")
                continue
            }
            guard (try? Users.validateEmail(address)) != nil else {
                problems.append("line \(r.line): '\(address.prefix(80))' is not an e-mail address")
                continue
            }
            let statusText = field(status) ?? ""
            guard let s = personStatus(statusText, format: format) else {
                problems.append("line \(r.line): status '\(statusText.prefix(40))' means nothing in a \(format.rawValue) export")
                continue
            }
            let name = full.compactMap(field).joined(separator: " ")
            var person = DirectoryPerson(
                line: r.line, email: address, fullName: name.isEmpty ? nil : name, dept: field(dept), status: s,
                lastSignIn: field(signIn).flatMap(UsageDates.day))
            person.directoryID = format.directoryID(field(idColumn))
            person.kind = DirectoryPerson.kind(email: address, upn: field(upn), name: person.fullName, type: field(typeColumn))
            out.append(person)
        }
        return out
    }

    /// Okta's `/api/v1/users` array, or a SCIM 2.0 ListResponse (RFC 7644) or array of Users (RFC 7643).
    static func readJSON(_ text: String, format: DirectoryFormat, problems: inout [String]) throws -> [DirectoryPerson] {
        let root = try JSON.parse(text)
        let items: [JSON]
        if case .array(let a) = root {
            items = a
        } else if case .array(let a)? = root["Resources"] {
            items = a
        } else {
            throw OWError.badData("the JSON is neither a list of users nor a SCIM ListResponse")
        }
        let lines = JSONLines.positions(of: items.count, in: text)
        var out: [DirectoryPerson] = []
        for (i, item) in items.enumerated() {
            let line = lines[i]
            if item["profile"] != nil {
                // Okta: status, lastLogin, profile.login / email / firstName / lastName / department.
                let p = item["profile"]
                guard let address = (p?["email"]?.stringValue ?? p?["login"]?.stringValue)?.lowercased() else {
                    problems.append("user \(i + 1) (line \(line)): no e-mail address")
                    continue
                }
                let statusText = item["status"]?.stringValue ?? ""
                guard let s = personStatus(statusText, format: .okta) else {
                    problems.append("user \(i + 1) (line \(line)): status '\(statusText.prefix(40))' means nothing in an Okta export")
                    continue
                }
                let name = [p?["firstName"]?.stringValue, p?["lastName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
                var person = DirectoryPerson(
                    line: line, email: address, fullName: name.isEmpty ? nil : name, dept: p?["department"]?.stringValue,
                    status: s, lastSignIn: item["lastLogin"]?.stringValue.flatMap(UsageDates.day))
                person.directoryID = DirectoryFormat.okta.directoryID(item["id"]?.stringValue)
                person.kind = DirectoryPerson.kind(email: address, upn: nil, name: person.fullName, type: p?["userType"]?.stringValue)
                out.append(person)
            } else {
                // SCIM: userName, emails[] (primary first), name.formatted / givenName familyName, active, the enterprise extension's department.
                var emails: [String] = []
                if case .array(let list)? = item["emails"] {
                    let sorted = list.sorted { ($0["primary"]?.boolValue ?? false) && !($1["primary"]?.boolValue ?? false) }
                    emails = sorted.compactMap { $0["value"]?.stringValue }
                }
                guard let address = (emails.first ?? item["userName"]?.stringValue)?.lowercased(), address.contains("@") else {
                    problems.append("user \(i + 1) (line \(line)): no e-mail address")
                    continue
                }
                let n = item["name"]
                let formatted =
                    n?["formatted"]?.stringValue
                    ?? [n?["givenName"]?.stringValue, n?["familyName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
                let enterprise = item["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
                let active = item["active"]?.boolValue ?? true
                var person = DirectoryPerson(
                    line: line, email: address, fullName: formatted.isEmpty ? item["displayName"]?.stringValue : formatted,
                    dept: enterprise?["department"]?.stringValue, status: active ? .active : .gone, lastSignIn: nil)
                person.directoryID = DirectoryFormat.scim.directoryID(item["id"]?.stringValue)
                person.kind = DirectoryPerson.kind(
                    email: address, upn: item["userName"]?.stringValue, name: person.fullName, type: item["userType"]?.stringValue)
                out.append(person)
            }
        }
        return out
    }

    /// What a status means, per format; nil for a status the format does not define.
    static func personStatus(_ text: String, format: DirectoryFormat) -> DirectoryPerson.Status? {
        let t = text.trimmed(.whitespaces).lowercased()
        switch format {
        case .google:
            switch t {
            case "active", "": return .active
            case "suspended", "archived", "deleted": return .gone
            default: return nil
            }
        case .okta:
            switch t {
            case "active": return .active
            case "suspended", "deprovisioned": return .gone
            case "staged", "provisioned", "locked_out", "recovery", "password_expired": return .present
            default: return nil
            }
        case .entra, .snipeIT:
            switch t {
            case "true", "yes", "1", "": return .active
            case "false", "no", "0": return .gone
            default: return nil
            }
        case .csv, .scim:
            switch t {
            case "active", "": return .active
            case "suspended", "inactive", "disabled", "deleted", "gone", "left", "offboarded", "deprovisioned", "archived": return .gone
            default: return nil
            }
        }
    }
}
