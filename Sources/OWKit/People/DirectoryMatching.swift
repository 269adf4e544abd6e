import FoundationEssentials
import OWCore
import OWIdentity

/// Who each row of a directory export is, settled for the whole export before anything changes.
/// First what the admin said (--match), then every exact match of the directory's own id for the
/// person (a changed address is an e-mail change, not a leaver and a joiner), then every exact
/// e-mail match: a namesake's row (a suspended John Smith listed before the active one) can never
/// take a person whose own id or address is in the export. Then the full name, then a person
/// without an e-mail whose user name is the address's local part, each only among people and rows
/// still unmatched and only where it is unique on both sides; an ambiguous one is reported, and
/// neither the row nor its candidates are touched. Guests' and service accounts' rows are matched
/// by id and address only. Last, people here without an e-mail whose user name fits a new row are
/// offered, never taken silently.
struct DirectoryMatching {
    typealias Change = DirectorySync.Change

    let users: [User]
    let people: [DirectoryPerson]
    // Positions in `users`, not copies of them: an office's first sync indexes 10,000 people.
    private var byEmail: [String: Int] = [:]
    private var byName: [String: [Int]] = [:]
    private var byLogin: [String: Int] = [:]
    private var byDirectoryID: [String: Int] = [:]
    /// Each row's person: a position in `users`, nil for nobody here (a new person), -1 for a row
    /// reported (ambiguous) or offered, which is neither matched nor added.
    private(set) var assigned: [Int?]
    private(set) var matched: [Bool]
    /// A candidate of an ambiguous row or of an offer: neither matched nor missing.
    private(set) var undecided: [Bool]
    /// The rows reported and offered.
    private(set) var changes: [Change] = []
    /// Rows the admin matched (--match).
    private var told = Set<Int>()

    init(users: [User], people: [DirectoryPerson], matches: [(user: String, email: String)]) throws {
        self.users = users
        self.people = people
        assigned = [Int?](repeating: nil, count: people.count)
        matched = Array(repeating: false, count: users.count)
        undecided = Array(repeating: false, count: users.count)
        byEmail.reserveCapacity(users.count)
        for (i, u) in users.enumerated() {
            if let d = u.directoryID { byDirectoryID[d] = i }
            if let e = u.email?.lowercased() {
                if byEmail[e] == nil { byEmail[e] = i }
            } else {
                byLogin[u.name.lowercased()] = i
            }
            if let n = u.fullName?.lowercased() { byName[n, default: []].append(i) }
        }
        try match(told: matches)
        matchExactly()
        settle({ $0.fullName?.lowercased() }, { [byName] in byName[$0] ?? [] }, shown: { $0.fullName ?? "" }, by: "full name")
        settle(
            { p in p.email.split(separator: "@").first.map { String($0) } }, { [byLogin] in byLogin[$0].map { [$0] } ?? [] },
            shown: { String($0.email.split(separator: "@").first ?? "") }, by: "user name")
        offerPeopleWithoutEmail()
    }

    /// Whether row `k` is surely person `i`: by id, address or --match (a name then follows the directory).
    func isSure(row k: Int, _ i: Int) -> Bool {
        let p = people[k]
        return byEmail[p.email] == i || (p.directoryID != nil && p.directoryID == users[i].directoryID) || told.contains(k)
    }

    /// The directory's id to record for row `p` as person `i` (nil: a new person), or follows the
    /// directory's — unless another person holds it (an offboarded one, matched to no row).
    func directoryID(of p: DirectoryPerson, for i: Int?) -> String? {
        p.directoryID.flatMap { d in
            if let holder = byDirectoryID[d], holder != i { return nil }
            return d
        }
    }

    private mutating func take(_ k: Int, _ i: Int) {
        assigned[k] = i
        matched[i] = true
    }

    /// What the admin said: `--match NAME=ADDRESS`.
    private mutating func match(told matches: [(user: String, email: String)]) throws {
        for m in matches {
            guard let i = users.firstIndex(where: { $0.name.lowercased() == m.user.lowercased() }) else {
                throw OWError.notFound("user '\(m.user)' (--match \(m.user)=\(m.email))", hint: "see `owatch user list`")
            }
            guard let k = people.firstIndex(where: { $0.email == m.email.lowercased() }) else {
                throw OWError.usage("--match \(m.user)=\(m.email): no row of the export has that address")
            }
            guard assigned[k] == nil, !matched[i] else {
                throw OWError.usage("--match \(m.user)=\(m.email): that person or that row is named by another --match")
            }
            take(k, i)
            told.insert(k)
        }
    }

    /// Every exact match of the directory's id, then every exact match of the address.
    private mutating func matchExactly() {
        for (k, p) in people.enumerated() where assigned[k] == nil {
            if let d = p.directoryID, let i = byDirectoryID[d], !matched[i] { take(k, i) }
        }
        for (k, p) in people.enumerated() where assigned[k] == nil {
            if let i = byEmail[p.email], !matched[i] { take(k, i) }
        }
    }

    /// Members' rows still unmatched, by `key`, against the people `candidates` gives: taken where
    /// unique on both sides, reported where not.
    private mutating func settle(
        _ key: (DirectoryPerson) -> String?, _ candidates: (String) -> [Int], shown: (DirectoryPerson) -> String, by what: String
    ) {
        var rows: [String: [Int]] = [:]
        for (k, p) in people.enumerated() where assigned[k] == nil && p.kind == .member {
            if let key = key(p) { rows[key, default: []].append(k) }
        }
        for (key, ks) in rows.sorted(by: { $0.value[0] < $1.value[0] }) {
            let open = candidates(key).filter { !matched[$0] && !undecided[$0] }
            guard !open.isEmpty else { continue }
            if ks.count == 1 && open.count == 1 {
                take(ks[0], open[0])
                continue
            }
            let names = open.map { users[$0].name }
            for i in open { undecided[i] = true }
            for k in ks {
                let p = people[k]
                changes.append(
                    Change(
                        kind: .ambiguous, user: names.joined(separator: ", "), email: p.email,
                        what:
                            "line \(p.line): the \(what) \(shown(p)) fits \(open.count) person(s) here and \(ks.count) row(s) of the export; "
                            + "not matched, added or offboarded (give each person their address: owatch user edit NAME --email ADDRESS)"
                    ))
                assigned[k] = -1  // reported: not added either
            }
        }
    }

    /// A person here without an e-mail whose user name fits a new row's name (`init --admin
    /// marta`, then marta.schulz@ in the export): offered, never taken silently. The row is not
    /// added until the admin answers (--match, or user edit --email).
    private mutating func offerPeopleWithoutEmail() {
        let withoutEmail = users.indices.filter {
            users[$0].isActive && users[$0].email == nil && users[$0].role != .scanner && !matched[$0] && !undecided[$0]
        }
        guard !withoutEmail.isEmpty else { return }
        for (k, p) in people.enumerated() where assigned[k] == nil && p.kind == .member && p.status != .gone {
            let fits = withoutEmail.filter { DirectorySync.nameFits(users[$0].name, p) }
            guard !fits.isEmpty else { continue }
            for i in fits {
                undecided[i] = true
                let who = p.fullName.map { "\($0) <\(p.email)>" } ?? p.email
                changes.append(
                    Change(
                        kind: .offer, user: users[i].name, email: p.email,
                        what: "line \(p.line): \(who) may be \(users[i].name), who has no e-mail here; not added. "
                            + "If so: owatch user sync FILE --match \(users[i].name)=\(p.email) (or owatch user edit \(users[i].name) --email \(p.email)); "
                            + "if not, give \(users[i].name) their own address (owatch user edit \(users[i].name) --email ADDRESS) and the row is added"
                    ))
            }
            assigned[k] = -1  // offered: not added either
        }
    }
}
