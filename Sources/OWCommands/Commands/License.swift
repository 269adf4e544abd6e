import FoundationEssentials
import OWCLI
import OWKit

enum LicenseCommand {
    /// A license as shown on a day: declared beside it (License.Shown).
    typealias Shown = License.Shown
    static let lineShape = PurchaseLine.shape
    static let shape = Shown.shape
    static let shareShape = Shown.shareShape

    static let catalogShape = Licenses.CatalogEntry.shape

    /// A renewal to come, counted from today: declared beside the license (License.Due).
    typealias Due = License.Due
    static let dueShape = Due.shape

    static let importChangeShape = LicenseImport.Change.shape

    static let importShape = LicenseImport.Outcome.shape

    static func add(_ inv: Call<AddOption>) throws {
        let vendor = inv.value(.vendor)!  // required
        let usage = inv.flag(.usageBilled)
        guard let seats = inv.value(.seats) ?? (usage ? "unlimited" : nil) else {
            throw OWError.usage("owatch license add needs --seats N (or unlimited, or --usage-billed)")
        }
        guard let cost = inv.value(.cost) else { throw OWError.usage("owatch license add needs --cost AMOUNT") }
        if usage && inv.value(.seats) != nil { throw OWError.usage("a usage-billed license has no seats: drop --seats") }
        let seatCount: Int64?
        do {
            seatCount = try LicenseDraft.parseSeats(seats)
        } catch let e as OWError {
            throw OWError(e.kind, "--" + e.message, hints: e.hints)  // the flag as typed: "--seats must be …"
        }
        // A currency written in the cost ("$10") decides, unless --currency says otherwise.
        let currency = try inv.currency(.currency)
        var d = LicenseDraft(name: inv.argument(0), vendor: vendor, seats: seatCount, price: try inv.amount(cost, currency: currency))
        d.currency = currency
        d.plan = inv.value(.plan)
        d.perSeat = inv.flag(.perSeat)
        d.usageBilled = usage
        d.period = try inv.period(.period) ?? .monthly
        d.renewsOn = try inv.day(.renews)
        d.owner = inv.value(.owner)
        d.category = inv.value(.category)
        d.notes = inv.value(.notes)
        d.orderRef = inv.value(.order)
        d.assigned = inv.values(.assign)
        d.terms = try terms(inv, from: nil)
        let l = try Licenses.add(inv.session, d)
        try changed(inv, l)
        inv.note("Added license \(l.name) (\(l.vendor)): \(l.monthly.display) a month.")
    }

    static func show(_ inv: Invocation, _ l: License) throws {
        let today = Time.startOfDay(inv.session.now)
        let coming = l.nextRenewal(onOrAfter: today) ?? l.termEnd(onOrAfter: today)
        let decision = try coming.flatMap { try Licenses.decision(inv.session.db, licenseID: l.id, renewsOn: Time.day($0)) }
        inv.emit(Shown(license: l, today: inv.session.now, decision: decision), as: shape.showing(also: ["decision"]))
    }

    static let historyShape = LicenseChange.shape

    static func history(_ inv: Invocation) throws {
        let (l, changes) = try Licenses.history(inv.session.db, inv.argument(0))
        inv.emit(changes, as: historyShape)
        if changes.isEmpty { inv.note("No recorded changes of \(l.name).") }
    }

    static func decide(_ inv: Call<DecideOption>) throws {
        guard inv.arguments.count == 2, let decision = RenewalDecision(rawValue: inv.argument(1).lowercased()) else {
            throw OWError.usage("owatch license decide LICENSE keep|cancel|renegotiate [-m NOTE]")
        }
        let (l, d, late) = try Licenses.decide(inv.session, inv.argument(0), decision, note: inv.value(.message))
        try changed(inv, l)
        if late {
            inv.warn("the cancel-by date of \(l.name) has passed: notice given now may be too late for the renewal on \(d.renewsOn)")
        }
        inv.note(
            decision == .cancel && !l.isActive
                ? "Decided to cancel \(l.name): it ends on \(l.endsOn ?? "-"), before the renewal on \(d.renewsOn). Send the notice to the vendor."
                : "Decided \(decision.rawValue) for \(l.name)'s renewal on \(d.renewsOn).")
    }

    /// After a change: the summary row in a table, the whole license in JSON.
    static func changed(_ inv: Invocation, _ l: License) throws {
        inv.emitChanged(Shown(license: l, today: inv.session.now), as: shape.showing(also: ["assigned_to"]))
    }

    static func list(_ inv: Call<ListOption>) throws {
        if inv.flag(.catalog) { return try catalog(inv) }
        if let interchange = inv.line.value(GlobalOption.format), interchangeFormats.contains(interchange) {
            return try export(inv, interchange)
        }
        let s = inv.session
        var f = try listFilter(inv)
        f.holder = inv.value(.user)
        f = try Licenses.visible(s, f)
        let withLines = inv.listsNestedRows
        guard let user = f.holder else {
            // Each license goes from SQLite to the output as it is read (see Exporter.ListWriter).
            var out = inv.listWriter(for: shape)
            try Licenses.forEach(s.db, filter: f, today: s.now) {
                out.add(Shown(license: $0, today: s.now, withLines: withLines), as: shape)
            }
            out.finish()
            return
        }
        let licenses = try Licenses.list(s.db, filter: f, today: s.now)
        // One person's licenses: each one's monthly cost share for them, and the total.
        inv.emit(licenses.map { Shown(license: $0, today: s.now, withLines: withLines) }, as: shareShape)
        try inv.footer(gap: false) {
            let totals = Licenses.seatCostByCurrency(licenses)
            let inBase =
                try InventoryReports.baseTotal(totals, base: try BaseConverter.configured(s.ledger, today: s.now), on: Time.day(s.now))
                .map { " (\($0.display))" }
                ?? ""
            return "total for \(user): " + (totals.isEmpty ? "0" : totals.map(\.display).joined(separator: " + ")) + " a month\(inBase)"
        }
    }

    /// What `license list`'s options select, for the table and for the other tools' formats alike.
    static func listFilter(_ inv: Call<ListOption>) throws -> LicenseFilter {
        var f = LicenseFilter()
        f.vendor = inv.value(.vendor)
        f.category = inv.value(.category)
        f.owner = inv.value(.owner)
        f.renewingWithin = try inv.duration(.renewingWithin)
        f.unusedOnly = inv.flag(.unused)
        f.includeCancelled = !inv.flag(.active)
        return f
    }

    /// `license list --format snipe-it|wallos`: the licences as the other tool's importer reads
    /// them (Wallos: JSON, or its CSV with --wallos-csv). Admins only: it carries prices and holders.
    static func export(_ inv: Call<ListOption>, _ format: String) throws {
        let s = inv.session
        guard s.actor.role == .admin else {
            throw OWError(.notPermitted, "--format \(format) writes prices and holders; only an admin may export them")
        }
        let f = try listFilter(inv)
        if inv.value(.user) != nil { throw OWError.usage("--format \(format) writes whole licences; drop --user") }
        let licenses = try Licenses.list(s.db, filter: f, today: s.now)
        let bytes =
            format == "snipe-it"
            ? try SnipeIT.export(licenses, db: s.db, today: s.now)
            : try Wallos.export(licenses, db: s.db, today: s.now, json: !inv.flag(.wallosCsv))
        inv.term.out(bytes: bytes)
    }

    /// What the office already has, as an employee may see it: no prices, no holders.
    static func catalog(_ inv: Call<ListOption>) throws {
        let entries = try Licenses.catalog(inv.session.db, category: inv.value(.category), vendor: inv.value(.vendor))
        inv.emit(entries, as: catalogShape)
        if inv.session.actor.role != .admin, !entries.isEmpty {
            inv.note("Ask for a seat with `owatch request new software NAME --reason WHY`.")
        }
    }

    static func reactivate(_ inv: Invocation) throws {
        let l = try Licenses.reactivate(inv.session, inv.argument(0))
        try changed(inv, l)
        inv.note("\(l.name) is active again: \(l.monthly.display) a month.")
    }

    static func showCommand(_ inv: Invocation) throws { try show(inv, try Licenses.visible(inv.session, inv.argument(0))) }

    static func edit(_ inv: Call<EditOption>) throws {
        var c = Licenses.Changes()
        c.name = inv.value(.name)
        c.vendor = inv.value(.vendor)
        c.plan = inv.value(.plan)
        c.category = inv.value(.category)
        c.owner = inv.value(.owner)
        c.period = try inv.period(.period)
        if let renews = inv.value(.renews) { c.renewal = renews.isEmpty ? Licenses.Renewal.none : .on(try inv.day(.renews)!) }
        c.notes = inv.value(.notes)
        if inv.value(.cost) != nil {
            c.price = try inv.money(.cost, currency: try Licenses.get(inv.session.db, inv.argument(0)).currency)
        }
        if let seats = inv.value(.seats) {
            guard let n = Int64(seats), n > 0 else { throw OWError.usage("--seats takes a whole number of seats, not '\(seats)'") }
            c.seats = n
        }
        let terms = try terms(inv, from: nil)
        if terms != nil { c.terms = try self.terms(inv, from: Licenses.get(inv.session.db, inv.argument(0)).terms) }
        if inv.flag(.perSeat) && inv.flag(.pack) { throw OWError.usage("--per-seat and --pack contradict each other") }
        if inv.flag(.perSeat) { c.perSeat = true } else if inv.flag(.pack) { c.perSeat = false }
        let l = try Licenses.edit(inv.session, inv.argument(0), c)
        try changed(inv, l)
        inv.note("Edited \(l.name): \(l.seats.map { "\($0) seat(s)" } ?? "unlimited seats"), \(l.monthly.display) a month.")
    }

    static func grow(_ inv: Call<GrowOption>) throws {
        guard let seatsText = inv.value(.seats), let seats = Int64(seatsText), seats > 0 else {
            throw OWError.usage("owatch license grow needs --seats N (a whole number of seats to add)")
        }
        let before = try Licenses.get(inv.session.db, inv.argument(0))
        let l = try Licenses.grow(
            inv.session, inv.argument(0), seats: seats, cost: try inv.money(.cost, currency: before.currency),
            orderRef: inv.value(.order),
            on: try inv.day(.on))
        try changed(inv, l)
        let added = Money(minor: l.cost.minor - before.cost.minor, currency: l.currency)
        inv.note(
            "\(l.name) now has \(l.seats.map(String.init) ?? "unlimited") seats, \(l.monthly.display) a month; the \(seats) new seat(s) cost "
                + "\(added.display) \(l.period.description)" + (inv.value(.cost) == nil ? " (the current price per seat)." : "."))
    }

    static func cancel(_ inv: Call<CancelOption>) throws {
        let license = try Licenses.get(inv.session.db, inv.argument(0))
        let end = try inv.day(.on)
        try inv.confirm("Cancel \(license.name) (\(license.monthly.display) a month)?")
        let l = try Licenses.cancel(inv.session, inv.argument(0), on: end)
        try changed(inv, l)
        inv.note("Cancelled \(l.name); it ends on \(l.endsOn ?? "-").")
    }

    static func remove(_ inv: Call<RemoveOption>) throws {
        let license = try Licenses.get(inv.session.db, inv.argument(0))
        try inv.confirm("Delete \(license.name) and its purchase lines for good (use `license cancel` for a contract that ends)?")
        let l = try Licenses.remove(inv.session, inv.argument(0), force: inv.flag(.force))
        inv.note("Removed license \(l.name).")
    }

    static func assign(_ inv: Call<AssignOption>) throws {
        let users = Array(inv.arguments.dropFirst())
        let l = try Licenses.assign(inv.session, inv.argument(0), users: users, grow: inv.flag(.grow))
        try changed(inv, l)
        inv.note("Assigned \(l.name) to \(users.joined(separator: ", ")); \(seatsTaken(l)).")
    }

    static func unassign(_ inv: Invocation) throws {
        let users = Array(inv.arguments.dropFirst())
        let l = try Licenses.unassign(inv.session, inv.argument(0), users: users)
        try changed(inv, l)
        inv.note("Took \(l.name) from \(users.joined(separator: ", ")); \(seatsTaken(l)).")
    }

    /// "3 of 10 seats taken" (or "3 seats taken" of an unlimited license).
    static func seatsTaken(_ l: License) -> String {
        "\(l.assigned)" + (l.seats.map { " of \($0)" } ?? "") + " seat(s) taken"
    }

    static func renewals(_ inv: Call<RenewalsOption>) throws {
        try renewals(inv, within: try inv.duration(.within) ?? Duration(count: 60, unit: .day))
    }

    /// `license renewals` and `report renewals`: one listing, two default horizons.
    static func renewals(_ inv: Invocation, within: Duration) throws {
        let s = inv.session
        let due = try Licenses.renewals(s.db, within: within, today: s.now)
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        // A renewal to come converts at today's rate, the latest known.
        try inv.emit(
            due.map { Due(license: $0.license, date: $0.date, today: s.now) }, as: dueShape, base: base, on: { _ in Time.day(s.now) })
        if !due.isEmpty {
            try inv.footer {
                let amounts = try Licenses.renewalSums(due)
                let inBase = try InventoryReports.baseTotal(amounts, base: base, on: Time.day(s.now)).map { " (\($0.display))" } ?? ""
                return "due within \(within): " + amounts.map(\.display).joined(separator: " + ") + inBase
            }
        }
        ReportCommand.warnMissingRates(inv, base)
    }

    /// `license reclaim`: frees seats held by people gone or unused past the threshold.
    static func reclaim(_ inv: Call<ReclaimOption>) throws {
        let dryRun = inv.flag(.dryRun)
        let done = try SeatFindings.reclaim(inv.session, inv.argument(0), inactive: try inv.duration(.inactive), dryRun: dryRun)
        inv.emit(done.freed, as: ReportCommand.reclaimShape)
        for w in done.warnings { inv.warn(w) }
        inv.note(
            done.freed.isEmpty
                ? "Nothing to reclaim on \(done.license.name)."
                : (dryRun ? "Dry run: would free " : "Freed ")
                    + "\(done.freed.count) seat(s) of \(done.license.name), saving \(done.monthlySaving.display) a month"
                    + (dryRun ? "; nothing was changed." : " (drop them at renewal, or give them to someone who asks)."))
    }

    static func importFile(_ inv: Call<ImportOption>) throws {
        let path = inv.argument(0)
        let (text, encoding) = try inv.readText(path)
        if encoding != "UTF-8" { inv.note("Read \(path) as \(encoding) (it is not UTF-8).") }
        let dates = try inv.value(.dateFormat).map(LicenseImport.DateFormat.init)
        let update = inv.flag(.update)
        let source: ImportSource
        switch inv.value(.from) ?? "owatch" {
        case "snipe-it": source = .snipeIT(SnipeIT.Options(cost: inv.choice(.cost), period: try inv.period(.period)))
        case "wallos": source = .wallos(Wallos.Options(period: try inv.period(.period)))
        default:
            if inv.value(.cost) != nil || inv.value(.period) != nil {
                throw OWError.usage("--cost and --period are for --from snipe-it or wallos files; owatch's own files say both")
            }
            source = .owatch
        }
        let outcome: LicenseImport.Outcome
        do {
            outcome = try LicenseImport.run(
                inv.session, text: text, dryRun: inv.flag(.dryRun), update: update, dates: dates, source: source)
        } catch var e as OWError {
            // Each bad row named by file as well as line, as a compiler names a source line.
            let file = Invocation.inputName(path)
            e.details = e.details.map { $0.hasPrefix("line ") ? "\(file): \($0)" : $0 }
            if !e.message.contains(file), e.message.hasPrefix("line ") { e = OWError(e.kind, "\(file): " + e.message, hints: e.hints) }
            if case .owatch = source, e.kind == .badData, let tool = ImportSource.guess(text) {
                e = OWError(e.kind, e.message, hints: ["this looks like a \(tool) file: owatch license import --from \(tool) \(path)"])
            }
            throw e
        }
        if update {
            // The diff first: what each license gains or loses.
            inv.emit(outcome.changes, as: importChangeShape)
            inv.note(
                (outcome.dryRun ? "Dry run: would add " : "Added ") + "\(outcome.licenses), " + (outcome.dryRun ? "update " : "updated ")
                    + "\(outcome.updated), left \(outcome.unchanged) unchanged" + (outcome.dryRun ? "; nothing was written." : "."))
            return
        }
        // A person reading a dry run sees each row as it was read (parsed amounts and dates), as
        // the update diff shows them; programs get the counts.
        if outcome.dryRun {
            inv.emit(outcome, as: importShape, inTable: { inv.emit(outcome.changes, as: importChangeShape) })
        } else {
            inv.emit(outcome, as: importShape)
        }
        inv.note(
            outcome.dryRun
                ? "Dry run: \(outcome.licenses) license(s) would be imported; nothing was written."
                : "Imported \(outcome.licenses) license(s) with \(outcome.seats) seat(s).")
    }
}

/// `owatch license`: its manual page.
let licenseNoun = Noun(
    name: "license", summary: "the software inventory: licenses, seats, costs and renewals",
    description: """
        license reclaim LICENSE frees, in one transaction, the seats report reclaim names for it: held by people offboarded, suspended in or missing from the directory (orphaned), or not used for longer than --inactive (default config usage.inactive, 60d; from usage import) — never a seat used inside the threshold; each freed seat is an audit event and runs the seat-reclaimed hook (the seat as JSON on standard input) after the commit, and the monthly saving is printed; --dry-run lists them and changes nothing.
        A license is a contract with a vendor: seats (or unlimited, for a site license), a price per billing period (for the whole pack, or per seat), a renewal date and the people holding seats.
        Periods are monthly, quarterly, yearly, weekly, one-off, or any term such as 24m or 3y; monthly equivalents are computed exactly and rounded half to even only when shown.
        A license can carry several purchase lines (license grow), each with its own seats, price, order reference and date.
        Renewal dates roll forward by the period when they pass.
        Contract terms (license add and edit): --notice is how long before a renewal notice must reach the vendor, --send-by an extra allowance to send it (post, notary); the cancel-by date is the renewal less both, shown as cancel_by in license list and show, license renewals and report renewals. --no-auto-renew marks a contract that ends at its term end unless renewed expressly (it has no renewal and no cancel-by date); --term-end is the end of a fixed term (with auto-renewal, the first renewal). --minimum-term 24m counts from the purchase date and puts the first renewal at its end; --then monthly is the renewal cycle after it (default: the billing period), so there are no monthly renewals inside the minimum term. Tacit renewals never stop: the next date is computed in a few steps however far ahead. An empty value ('') clears a term.
        --lead 90d,30d gives a license its own reminder lead times (default config renewals.notify); with a notice period they count back from the cancel-by date, else from the renewal. A reminder fires once per license, date and lead time; editing the renewal date, notice or terms re-arms it for the new date.
        license history LICENSE lists the license's audit events, oldest first, following renames back to its license.add: price and seat changes (with the monthly cost before and after), purchase lines, terms, holders, reminders fired and renewal decisions, with who and when.
        license decide LICENSE keep|cancel|renegotiate [-m NOTE] records the decision for the coming renewal (or term end) as a license.decide audit event (with the cancel-by date and whether it had passed); deciding again replaces it. cancel ends the license the day before that renewal. report summary lists renewals within 90 days still undecided and cancel-by dates passed without a decision; license show gives the decision.
        Money is integer minor units with an ISO 4217 currency; amounts in different currencies are never summed together.
        Each lead time in config renewals.notify (default 30d,7d) fires the license-renewing hook once per license and renewal, from the first command run after the moment passes.
        license import reads CSV (RFC 4180; header naming the columns name, vendor, seats, cost and optionally currency, period, renews_on, owner, assigned with names separated by semicolons, plan, category, per_seat, notes, order, purchased_on, and the contract terms notice, send_by, auto_renew, term_end, minimum_term, term_start, then, leads) or exactly what license list writes with --format csv or --json (id and derived columns such as monthly are read past; status, ends_on, purchase lines and holders are kept); ; and tab separators, decimal commas and --date-format DD/MM/YYYY are read, and a Windows-1252 file is detected (a file that is neither it nor UTF-8 is refused); with --update a row whose name exists updates that license in place and the changes are listed first (--dry-run lists only them); --dry-run without --update shows each new license as its row was read (vendor, seats and parsed amounts, period, dates, holders) in a table, and the counts in the other formats; every row is checked first and any bad row means nothing is written (exit 65, each bad row named by line).
        license import --from snipe-it reads Snipe-IT's licence CSV (the columns of its importer and sample_csvs/licenses-sample.csv: Item Name or License Name, Category, Seats, Serial Number, Manufacturer (the vendor; else Supplier), Purchase Date, Purchase Cost, Expiration Date (the renewal), Termination Date (a cancelled licence's last day), Order Number or Purchase Order, Notes, Licensed to Name and Licensed to Email (the contract owner when they name a person here, else kept in the notes), and the checkout columns Full Name, Email and Username); Snipe-IT lists a licence once per checkout, so rows of one licence (same name and serial) are its holders, found by user name or e-mail, and must agree on everything else. Purchase Cost is per seat in recent Snipe-IT and the whole purchase in older versions: --cost per-seat or --cost total says which, and it is asked (exit 64) when a file has more than one seat and does not say. Snipe-IT has no billing period: a licence that expires is yearly and one that does not a one-off purchase, unless --period says otherwise. Dates are YYYY-MM-DD or as Snipe-IT's PHP reads them (M/D/YYYY with slashes, D.M.YYYY, D-M-YYYY), or --date-format. Snipe-IT's own licence list export (its column titles: Name, Product Key, Total, Avail, …, which its importer does not read back) is read too. Serial numbers (licence keys) are not kept. license list --format snipe-it writes what Snipe-IT's importer reads (a row per holder) plus four columns its importer leaves unmapped and owatch reads back (Billing Period, Currency, Cost Basis, Plan), so a file goes owatch → Snipe-IT format → owatch unchanged; Purchase Cost is per seat for per-seat licences and the whole otherwise (Cost Basis says which), and extra purchase lines are summed.
        license import --from wallos reads Wallos's subscription export, JSON (its array, or the export endpoint's {"success":…,"subscriptions":[…]}) or its CSV: Name, Payment Cycle (Monthly, Weekly, Yearly, Every N Days/Weeks/Months/Years; a daily one is refused), Next Payment (the renewal), Category (No category: none), Paid By (the owner when it names a person here), Price with its symbol (€9.99, $10, CHF 12), Notes, URL (the vendor, by its billing domain; else the name is the vendor), State, Active and Cancellation Date (a cancelled licence, ending that day; disabled without a date: ending the day before its next payment); Renewal, Payment Method and Notifications are read past. Older exports have no Payment Cycle: --period says it, else it is inferred from the payments of the vendor the ledger has seen (the period most of their receipts state, or a steady gap of a week, two weeks, a month, a quarter, half a year or a year over at least three payments), else the row is refused; the database's cycle and frequency are read where a file has them. A Wallos subscription is one seat at a whole price. license list --format wallos writes that export (JSON; --wallos-csv its CSV) and reads back unchanged for what Wallos can hold: seats, holders, plans and one-off purchases have no place in it. Wallos itself restores whole backups only, not this export.
        Every reader's errors name the file, the line (a JSON record: its number too) and the column; every cell written to CSV by these formats passes the formula guard.
        Employees see only licenses they hold a seat of, and with license list --catalog what the office has: name, vendor, category and whether a seat is free, without prices.
        user offboard, license cancel and license remove ask for confirmation when standard input and standard error are a terminal (--yes skips it); piped, they never ask.
        """
)

/// `owatch license …`: its commands, in help order.
let licenseCommands: [Command] = [
    Command(
        noun: "license", verb: "add", summary: "register a license: vendor, seats, cost, period and renewal",
        arguments: [Argument(name: "NAME")],
        options: LicenseCommand.AddOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch license add Slack --vendor slack --plan Pro --seats 25 --cost 8.75 --per-seat --period monthly --renews 2026-12-01",
            "owatch license add Figma --vendor figma --seats 5 --cost '€540' --period yearly --assign bob --assign carol",
            "owatch license add Office --vendor m365 --seats unlimited --cost 2400 --period 24m",
            "owatch license add CRM --vendor hubspot --seats 5 --cost 900 --period yearly --renews 2027-03-01 --notice 3m --send-by 5d",
            "owatch license add Phones --vendor ringcentral --seats 8 --cost 160 --minimum-term 24m --then monthly --notice 30d --lead 60d,14d",
        ],
        output: LicenseCommand.shape.docs, run: LicenseCommand.add),
    Command(
        noun: "license", verb: "list", summary: "list licenses (employees: the ones they hold)",
        options: LicenseCommand.ListOption.self,
        access: .roles([.admin, .employee]),
        examples: [
            "owatch license list", "owatch license list --unused --json | jq '[.[] | .monthly_minor] | add'",
            "owatch license list --catalog          # employees: what exists, before `owatch request new software`",
            "owatch license list --user bob", "owatch license list --json > inventory.json",
            "owatch license list --format snipe-it > for-snipe-it.csv", "owatch license list --format wallos > subscriptions.json",
        ],
        output: LicenseCommand.shareShape.docs + LicenseCommand.catalogShape.docs, run: LicenseCommand.list),
    Command(
        noun: "license", verb: "show", summary: "show one license with its purchase lines and holders",
        arguments: [Argument(name: "LICENSE")], access: .roles([.admin, .employee]),
        examples: ["owatch license show Slack", "owatch license show 12 --json"], output: LicenseCommand.shape.docs,
        run: LicenseCommand.showCommand),
    Command(
        noun: "license", verb: "edit", summary: "change a license's details or price",
        arguments: [Argument(name: "LICENSE")],
        options: LicenseCommand.EditOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch license edit Slack --cost 9.25 --renews 2027-01-01", "owatch license edit Figma --seats 4",
            "owatch license edit CRM --notice 90d --lead 120d,30d", "owatch license edit Print --no-auto-renew --term-end 2027-06-30",
            "owatch license edit CRM --notice ''    # clears the notice period",
        ],
        output: LicenseCommand.shape.docs, run: LicenseCommand.edit),
    Command(
        noun: "license", verb: "decide", summary: "record keep, cancel or renegotiate for the coming renewal (cancel ends it there)",
        arguments: [Argument(name: "LICENSE"), Argument(name: "DECISION")],
        options: LicenseCommand.DecideOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch license decide CRM keep -m 'team uses it daily'", "owatch license decide Phones cancel -m 'moving to Teams'",
            "owatch license decide Adobe renegotiate",
        ],
        output: LicenseCommand.shape.docs, run: LicenseCommand.decide),
    Command(
        noun: "license", verb: "history", summary: "a license's changes over time: price, seats, terms, holders, decisions",
        arguments: [Argument(name: "LICENSE")], access: .roles(adminOnly),
        examples: [
            "owatch license history CRM", "owatch license history CRM --json | jq -r '.[] | select(.action == \"license.edit\") | .what'",
        ],
        output: LicenseCommand.historyShape.docs, run: LicenseCommand.history),
    Command(
        noun: "license", verb: "reactivate", summary: "bring back a cancelled license",
        arguments: [Argument(name: "LICENSE")],
        access: .roles(adminOnly), examples: ["owatch license reactivate Zoom"], output: LicenseCommand.shape.docs,
        run: LicenseCommand.reactivate),
    Command(
        noun: "license", verb: "grow", summary: "add seats bought later as their own purchase line",
        arguments: [Argument(name: "LICENSE")],
        options: LicenseCommand.GrowOption.self,
        access: .roles(adminOnly), examples: ["owatch license grow Slack --seats 5 --order PO-2291"], output: LicenseCommand.shape.docs,
        run: LicenseCommand.grow),
    Command(
        noun: "license", verb: "cancel", summary: "cancel a license; it runs until its end date, then stops",
        arguments: [Argument(name: "LICENSE")],
        options: LicenseCommand.CancelOption.self,
        access: .roles(adminOnly), examples: ["owatch license cancel Zoom", "owatch license cancel Zoom --on 2026-12-31"],
        output: LicenseCommand.shape.docs, run: LicenseCommand.cancel),
    Command(
        noun: "license", verb: "reclaim", summary: "free the seats of people gone and of seats unused past the threshold",
        arguments: [Argument(name: "LICENSE")],
        options: LicenseCommand.ReclaimOption.self,
        access: .roles(adminOnly), examples: ["owatch license reclaim Slack --dry-run", "owatch license reclaim Figma --inactive 90d"],
        output: ReportCommand.reclaimShape.docs, run: LicenseCommand.reclaim),
    Command(
        noun: "license", verb: "remove", summary: "delete a license entered by mistake",
        arguments: [Argument(name: "LICENSE")],
        options: LicenseCommand.RemoveOption.self,
        access: .roles(adminOnly), examples: ["owatch license remove 'Slack (typo)'"], run: LicenseCommand.remove),
    Command(
        noun: "license", verb: "assign", summary: "give people seats of a license",
        arguments: [Argument(name: "LICENSE"), Argument(name: "USER", variadic: true)],
        options: LicenseCommand.AssignOption.self,
        access: .roles(adminOnly), examples: ["owatch license assign Figma bob carol", "owatch license assign Slack dave --grow"],
        output: LicenseCommand.shape.docs, run: LicenseCommand.assign),
    Command(
        noun: "license", verb: "unassign", summary: "take seats back",
        arguments: [Argument(name: "LICENSE"), Argument(name: "USER", variadic: true)],
        access: .roles(adminOnly), examples: ["owatch license unassign Figma bob"], output: LicenseCommand.shape.docs,
        run: LicenseCommand.unassign),
    Command(
        noun: "license", verb: "renewals", summary: "what renews when, and for how much",
        options: LicenseCommand.RenewalsOption.self,
        access: .roles(adminOnly), examples: ["owatch license renewals --within 90d"], output: LicenseCommand.dueShape.docs,
        run: LicenseCommand.renewals),
    Command(
        noun: "license", verb: "import", summary: "import licenses from CSV or JSON (owatch, Snipe-IT, Wallos), all or nothing",
        arguments: [Argument(name: "FILE", file: .input)],
        options: LicenseCommand.ImportOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch license import licenses.csv --dry-run", "owatch license import inventory.json",
            "owatch license list --json > all.json && owatch license import all.json --update --dry-run",
            "owatch license import from-excel.csv --date-format DD/MM/YYYY",
            "printf 'name,vendor,seats,cost\\nSlack,slack,10,80\\n' | owatch license import -",
            "owatch license import --from snipe-it snipe-licenses.csv --cost per-seat --dry-run",
            "owatch license import --from wallos subscriptions.json",
        ],
        output: LicenseCommand.importChangeShape.docs + LicenseCommand.importShape.docs, run: LicenseCommand.importFile),
]
