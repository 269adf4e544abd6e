import FoundationEssentials

/// One published exchange rate: on `day`, 1 `from` was worth `rate` `to`.
public struct ExchangeRate: Sendable {
    public let from: String
    public let to: String
    public let day: String
    /// The decimal as given ("1.0921"); `value` is the same number, exact.
    public let rate: String
    public let source: String
}

/// An amount converted, with the day of the rate used (nil when no conversion was needed).
public struct Conversion: Sendable {
    public let money: Money
    public let rateDay: String?
}

/// The ledger's exchange rates, read as needed, over the ECB's built into owatch (BuiltInRates;
/// the ledger's win on the same day). A conversion on a day uses the rate of that day or the
/// nearest earlier one; a pair with no direct rate goes through its inverse, or through one
/// currency both are quoted against (the ECB publishes everything against EUR).
public final class ExchangeRates {
    package let db: Database
    private var cache: [String: (Rational, String)?] = [:]
    private var pivots: [String]?
    /// A dated rate left out of every lookup (the one `rate set` is about to replace, so it is
    /// never its own reference).
    var ignoring: (from: String, to: String, day: String)?

    public init(_ db: Database) { self.db = db }

    /// Whether there is no rate at all, built in or in the ledger (then no conversion is looked for).
    public lazy var isEmpty: Bool = BuiltInRates.dayCount == 0 && ((try? db.scalar("SELECT NOT EXISTS(SELECT 1 FROM rates)")) ?? 1) != 0

    /// The rate from `from` to `to` in effect on `day`, with the day it was published.
    public func rate(from: String, to: String, on day: String) throws -> (rate: Rational, day: String)? {
        if from == to { return (Rational(1, 1), day) }
        let key = "\(from)>\(to)@\(day)"
        if let hit = cache[key] { return hit.map { ($0.0, $0.1) } }
        var best = try quoted(from, to, on: day)
        if best == nil {
            // Through a currency both are quoted against, at the older of the two days.
            for p in try pivotCurrencies() where p != from && p != to {
                guard let a = try quoted(from, p, on: day), let b = try quoted(p, to, on: day) else { continue }
                let candidate = (a.0 * b.0, min(a.1, b.1))
                if best == nil || candidate.1 > best!.1 { best = candidate }
            }
        }
        cache[key] = best
        return best.map { ($0.0, $0.1) }
    }

    /// `m` in `target` at the rate of `day`; nil when no rate is known. A result beyond the
    /// amounts owatch keeps is an error naming the amount and the rate, never a missing rate.
    public func convert(_ m: Money, to target: Currency, on day: String) throws -> Conversion? {
        if m.currency == target { return Conversion(money: m, rateDay: nil) }
        guard let (rate, rateDay) = try rate(from: m.currency.code, to: target.code, on: day) else { return nil }
        guard let minor = ExchangeRates.apply(rate, to: m.minor, exponents: (m.currency.exponent, target.exponent)) else {
            throw OWError.badData(
                "\(m.display) at the \(m.currency.code)→\(target.code) rate of \(rateDay) (1 \(m.currency.code) = "
                    + "\(ExchangeRates.display(rate)) \(target.code)) is too large to convert",
                hint: "check the rate: owatch rate list --currency \(m.currency.code) --all")
        }
        return Conversion(money: Money(minor: minor, currency: target), rateDay: rateDay)
    }

    /// As `convert`, for comparing amounts (the scan's price checks): an amount too large to
    /// convert matches no price, so it is nil like a missing rate rather than an error.
    public func convertForComparison(_ m: Money, to target: Currency, on day: String) throws -> Money? {
        if m.currency == target { return m }
        guard let (rate, _) = try rate(from: m.currency.code, to: target.code, on: day) else { return nil }
        return ExchangeRates.apply(rate, to: m.minor, exponents: (m.currency.exponent, target.exponent)).map {
            Money(minor: $0, currency: target)
        }
    }

    /// A rate for people: up to six significant digits ("0.0064", "156.27", "1e+06").
    package static func display(_ r: Rational) -> String { String(cFormat: "%.6g", Double(r.num) / Double(r.den)) }

    /// `minor × rate`, moved between the currencies' exponents, rounded half to even; computed
    /// in 128 bits, nil beyond the amounts owatch keeps.
    package static func apply(_ rate: Rational, to minor: Int64, exponents: (Int, Int)) -> Int64? {
        var num = Int128(minor) * Int128(rate.num)
        var den = Int128(rate.den)
        let shift = exponents.1 - exponents.0
        for _ in 0..<abs(shift) {
            if shift > 0 {
                let (n, o) = num.multipliedReportingOverflow(by: 10)
                guard !o else { return nil }
                num = n
            } else {
                den *= 10
            }
        }
        var q = num / den
        let r = num % den
        let twice = 2 * r.magnitude
        if twice > den.magnitude || (twice == den.magnitude && q % 2 != 0) { q += num < 0 ? -1 : 1 }
        guard let out = Int64(exactly: q), out.magnitude <= UInt64(Money.maxMinor) * 1000 else { return nil }
        return out
    }

    /// A direct or inverse quote on or before `day`, the most recent of the two.
    private func quoted(_ from: String, _ to: String, on day: String) throws -> (Rational, String)? {
        let sql =
            "SELECT day, rate FROM rates WHERE from_currency = ?1 AND to_currency = ?2 AND day <= ?3"
            + " AND NOT (from_currency IS ?4 AND to_currency IS ?5 AND day IS ?6) ORDER BY day DESC LIMIT 1"
        let (i1, i2, i3) = (ignoring?.from, ignoring?.to, ignoring?.day)
        var best: (Rational, String)?
        if let row = try db.one(sql, from, to, day, i1, i2, i3), let r = try? ExchangeRates.parseRate(row.text("rate")) {
            best = (r, try row.text("day"))
        }
        if let row = try db.one(sql, to, from, day, i1, i2, i3), let r = try? ExchangeRates.parseRate(row.text("rate")), r.num != 0,
            try best == nil || row.text("day") > best!.1
        {
            best = (Rational(r.den, r.num), try row.text("day"))
        }
        // The built-in ECB rate when newer (the ledger's wins on its day). After the built-in days
        // it converts nothing, and no older rate of the ledger's stands in for it.
        if let b = BuiltInRates.quote(from, to, on: day), best == nil || b.day > best!.1 { best = b.after ? nil : (b.rate, b.day) }
        return best
    }

    private func pivotCurrencies() throws -> [String] {
        if let pivots { return pivots }
        let found = try db.query("SELECT from_currency AS c FROM rates UNION SELECT to_currency FROM rates ORDER BY 1").map {
            try $0.text("c")
        }
        // EUR (the built-in rates' own) and USD first: most rates are quoted against them.
        let ordered = ["EUR"] + ["USD"].filter(found.contains) + found.filter { $0 != "EUR" && $0 != "USD" }
        pivots = ordered
        return ordered
    }

    /// A rate as written: a positive decimal of at most 18 digits ("1.0921", "158.27", "0.000061").
    public static func parseRate(_ text: String) throws -> Rational {
        let t = text.trimmed(.whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.joined()
        guard (1...2).contains(parts.count), !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            !parts[0].isEmpty || parts.count == 2, let n = Int64(digits), n > 0
        else {
            throw OWError.usage("'\(text.prefix(24))' is not an exchange rate", hint: "write it as a positive decimal: 1.0921")
        }
        var den: Int64 = 1
        for _ in 0..<(parts.count == 2 ? parts[1].count : 0) { den *= 10 }
        let r = Rational(n, den)
        // A rate beyond a billion either way is a typo (or a unit mix-up), not a currency pair.
        let billion = Rational(1_000_000_000, 1)
        guard !(billion < r), !(r < billion.inverse) else {
            throw OWError.usage("'\(text.prefix(24))' is not a plausible exchange rate")
        }
        return r
    }
}

/// Amounts turned into the office's base currency (`config set base_currency`) for reports:
/// a charge at the rate of its day, a month's contract cost at the rate of the month (its last
/// day, or today while it lasts). What has no rate is kept apart per currency, never dropped or
/// summed silently, and `warnings` names the rate to add.
public final class BaseConverter {
    public let currency: Currency
    package let rates: ExchangeRates
    package let today: String
    /// What was left out for want of a rate: per currency, per day, the amounts (issue 31: a
    /// missing rate is the amount and day it leaves out, never a whole currency). An amount asked
    /// for twice (the summary and the burn chart of one dashboard) is counted once.
    private var leftOut: [String: [String: Set<Int64>]] = [:]

    /// nil when no base currency is set.
    public static func configured(_ ledger: Ledger, today: Date) throws -> BaseConverter? {
        guard let code = try ledger.configValue("base_currency") else { return nil }  // no default
        return BaseConverter(currency: try Currency.parse(code), rates: ExchangeRates(ledger.db), today: Time.day(today))
    }

    package init(currency: Currency, rates: ExchangeRates, today: String) {
        self.currency = currency
        self.rates = rates
        self.today = today
    }

    /// The day a month's amounts convert at.
    public func day(for month: Month) -> String { min(Time.day(month.lastDay), today) }

    /// `m` in the base currency at the rate of `day`; nil (and remembered) when there is no rate.
    public func convert(_ m: Money, on day: String) throws -> Conversion? {
        if m.minor == 0 { return Conversion(money: Money(minor: 0, currency: currency), rateDay: nil) }
        if let c = try rates.convert(m, to: currency, on: min(day, today)) { return c }
        remember(m, on: day)
        return nil
    }

    /// `amount` (exact minor units of `from`) in the base currency at the rate of `day`, exact:
    /// what every total adds before it rounds once. nil when there is no rate: then `leftOut`
    /// (the amount rounded, unless `remember` is false: a part of an amount already counted) is remembered.
    public func convertExact(_ amount: Exact, from: Currency, on day: String, remember: Bool = true) throws -> (Exact, rateDay: String?)? {
        if from == currency || amount.nano == 0 { return (amount, nil) }
        guard let (rate, rateDay) = try rates.rate(from: from.code, to: currency.code, on: min(day, today)) else {
            if remember { self.remember(Money(minor: amount.rounded, currency: from), on: day) }
            return nil
        }
        // Beyond the amounts owatch keeps (as `convert`): an error naming the amount and the rate.
        let bound = Int128(Money.maxMinor) * 1000 * Exact.perMinor
        guard let c = amount.converted(at: rate, exponents: (from.exponent, currency.exponent)), c.nano.magnitude <= bound.magnitude else {
            throw OWError.badData(
                "\(Money(minor: amount.rounded, currency: from).display) at the \(from.code)→\(currency.code) rate of \(rateDay) is too large to convert"
            )
        }
        return (c, rateDay)
    }

    private func remember(_ m: Money, on day: String) {
        leftOut[m.currency.code, default: [:]][min(day, today), default: []].insert(m.minor)
    }

    /// What had no rate: the amount of each currency and day left out, by currency, then day.
    public var leftOutEntries: [(amount: Money, day: String)] {
        leftOut.sorted { $0.key < $1.key }.flatMap { code, days in
            days.sorted { $0.key < $1.key }.compactMap { day, amounts -> (amount: Money, day: String)? in
                guard let c = try? Currency.parse(code), let sum = try? amounts.sorted().checkedSum({ $0 }) else { return nil }
                return (Money(minor: sum, currency: c), day)
            }
        }
    }

    /// The same as people read it: "12.00 USD of 2026-03-14".
    public var leftOutAmounts: [String] { leftOutEntries.map { "\($0.amount.display) of \($0.day)" } }

    /// One warning per currency with no rate: the amounts and days it leaves out, and the rate to add.
    public var warnings: [String] {
        leftOut.sorted { $0.key < $1.key }.map { code, days in
            let list = days.keys.sorted()
            let amounts = leftOutAmounts.filter { $0.contains(" \(code) of ") }
            let shown = amounts.prefix(5).joined(separator: ", ") + (amounts.count > 5 ? " and \(amounts.count - 5) more" : "")
            return BuiltInRates.missingRate(code, currency.code, from: list.first!, to: list.last!).replacing(
                "\(code) amounts are shown apart", with: "it leaves out \(shown), shown apart")
        }
    }

    /// A row's amounts in the base currency, converted on `day`, as output fields: `base` and
    /// `base_minor` when the row has one amount, `X_base` and `X_base_minor` for each amount X
    /// when it has several, then `base_currency` and `rate_date`. All null when one is missing.
    public func fields(_ amounts: [(key: String, money: Money)], on day: String) throws -> [(key: String, value: Value)] {
        var converted: [Money] = []
        var rateDay: String?
        for a in amounts {
            guard let c = try convert(a.money, on: day) else {
                return BaseConverter.fields(amounts.map { ($0.key, nil) }, currency: currency, rateDay: nil)
            }
            converted.append(c.money)
            if let d = c.rateDay { rateDay = max(rateDay ?? d, d) }
        }
        return BaseConverter.fields(zip(amounts, converted).map { ($0.key, $1) }, currency: currency, rateDay: rateDay)
    }

    /// A row with its amounts (every money field that has one) in the base currency added.
    public func adding(to r: Record, on day: String) throws -> Record {
        let amounts = r.fields.compactMap { f -> (key: String, money: Money)? in
            if case .money(let m?) = f.value { (f.key, m) } else { nil }
        }
        return Record(fields: r.fields + (try fields(amounts, on: day)))
    }

    /// The same fields for amounts already converted (nil: no rate).
    public static func fields(_ amounts: [(key: String, money: Money?)], currency: Currency, rateDay: String?) -> [(
        key: String, value: Value
    )] {
        let missing = amounts.contains { $0.money == nil }
        return zip(baseKeys(amounts.map(\.key)), amounts).map { ($0, Value.money(missing ? nil : $1.money)) }
            + [("base_currency", .text(currency.code)), ("rate_date", .text(missing ? nil : rateDay))]
    }

    /// Where a row's amounts go in the base currency: `base` for its one amount, `X_base` for each of several.
    static func baseKeys(_ amounts: [String]) -> [String] {
        amounts.count == 1 ? ["base"] : amounts.map { $0 + "_base" }
    }
}

/// A total in the base currency, and per currency what could not be converted. Amounts are
/// added exactly and the total rounded once (`Exact`: the one rounding rule).
public struct BaseTotal: Sendable {
    public let currency: Currency
    public private(set) var exact = Exact.zero
    public var minor: Int64 { exact.rounded }
    /// What had no rate, per currency, rounded once.
    public var apart: [Currency: Int64] { exactApart.mapValues(\.rounded) }
    private var exactApart: [Currency: Exact] = [:]
    /// Whether any amount was converted (a total of nothing but amounts apart shows only those).
    private var counted = false

    public init(_ currency: Currency) { self.currency = currency }

    public mutating func add(_ converted: Money?, original: Money) throws {
        try add(exact: converted.map { Exact(minor: $0.minor) }, original: Exact(minor: original.minor), in: original.currency)
    }

    /// An amount converted exactly (nil: no rate; `original`, in `currency`, stays apart exactly).
    public mutating func add(exact converted: Exact?, original: Exact, in currency: Currency) throws {
        if let converted {
            exact += converted
            counted = true
        } else if original.nano != 0 {
            exactApart[currency, default: .zero] += original
        }
    }

    public var total: Money { Money(minor: minor, currency: currency) }

    /// "1,234.50 EUR", then what stays apart: "1,234.50 EUR + 12.00 GBP (no rate)".
    public var display: String {
        ((counted || apart.isEmpty ? [total.display] : [])
            + apart.sorted { $0.key.code < $1.key.code }.map { "\(Money(minor: $0.value, currency: $0.key).display) (no rate)" })
            .joined(separator: " + ")
    }
}

/// `owatch rate`: rates set by hand, listed, and imported from the ECB's reference-rate CSV
/// or a plain `date,from,to,rate` file. Every change is audited.
public enum Rates {
    /// How far a rate may stray either way from the pair's latest known rate (a factor), and the
    /// band (bounds excluded) a pair's first rate must fall in: beyond them it is a typo, a unit mix-up or the pair
    /// the wrong way round, refused unless forced (`rate set JPY EUR 1000000` made every JPY
    /// amount too large to convert).
    public static let plausibleFactor: Int128 = 10
    public static let plausibleBand = (low: Rational(1, 1_000_000), high: Rational(1_000_000, 1))  // as the message writes them

    public static func set(_ session: some AuditedWriter, from: Currency, to: Currency, rate: String, on date: Date, force: Bool = false)
        throws
        -> ExchangeRate
    {
        let (f, t) = (from.code, to.code)
        guard f != t else { throw OWError.usage("a rate from \(f) to itself is always 1") }
        let day = Time.day(date)
        let value = try ExchangeRates.parseRate(rate)
        let text = rate.trimmed(.whitespaces)
        let rate = ExchangeRate(from: f, to: t, day: day, rate: text, source: "manual")
        return try session.write {
            if !force {
                let known = ExchangeRates(session.db)
                known.ignoring = (f, t, day)
                if let why = implausible(value, text: text, from: f, to: t, reference: try reference(known, from: f, to: t, on: day)) {
                    throw OWError.refused(why, hint: forceHint)
                }
            }
            try upsert(session.db, rate)
            try session.audit(
                "rate.set", "rate:\(f)/\(t)",
                .obj([("on", .string(day)), ("rate", .number(text))] + (force ? [("forced", .bool(true))] : [])))
            return rate
        }
    }

    static let forceHint = "check the number and the direction (1 FROM is worth RATE TO); --force records it all the same"

    /// The pair's rate in effect on `day` (directly, inverted or through a pivot), else its latest on any day.
    static func reference(_ known: ExchangeRates, from: String, to: String, on day: String) throws -> (rate: Rational, day: String)? {
        try known.rate(from: from, to: to, on: day) ?? known.rate(from: from, to: to, on: "9999-12-31")
    }

    /// Why `rate` is not a plausible from→to rate, or nil: more than `plausibleFactor` times off
    /// the pair's reference rate either way, or, with none known, not strictly inside `plausibleBand`.
    static func implausible(_ rate: Rational, text: String, from: String, to: String, reference: (rate: Rational, day: String)?) -> String?
    {
        let given = "1 \(from) = \(text.prefix(24)) \(to)"
        guard let (ref, refDay) = reference else {
            let (low, high) = plausibleBand
            guard !(low < rate && rate < high) else { return nil }
            return "\(given) is not between 0.000001 and 1000000, "
                + "the range for a pair with no rate known yet"
        }
        // rate / ref, in 128 bits: each side is a quotient of 64-bit numbers.
        let (a, b) = (Int128(rate.num) * Int128(ref.den), Int128(rate.den) * Int128(ref.num))
        guard a > plausibleFactor * b || b > plausibleFactor * a else { return nil }
        let ratio = Double(a) / Double(b)
        let off = ratio > 1 ? "\(String(cFormat: "%.6g", ratio)) times" : "1/\(String(cFormat: "%.6g", 1 / ratio)) of"
        return "\(given) is \(off) the \(from)→\(to) rate of \(refDay) (\(ExchangeRates.display(ref))), more than \(plausibleFactor)x off"
    }

    static func upsert(_ db: Database, _ r: ExchangeRate) throws {
        try db.run(
            """
            INSERT INTO rates(from_currency, to_currency, day, rate, source) VALUES (?,?,?,?,?)
            ON CONFLICT(from_currency, to_currency, day) DO UPDATE SET rate = excluded.rate, source = excluded.source
            WHERE rate IS NOT excluded.rate OR source IS NOT excluded.source
            """, r.from, r.to, r.day, r.rate, r.source)
    }

    /// The latest rate of each pair on or before `day` (nil: today), or every dated rate with `all`.
    public static func list(_ db: Database, currency: Currency?, on date: Date?, all: Bool) throws -> [ExchangeRate] {
        let code = currency?.code
        let day = date.map(Time.day)
        let filter = "(?1 IS NULL OR from_currency = ?1 OR to_currency = ?1) AND (?2 IS NULL OR day <= ?2)"
        let sql =
            all
            ? "SELECT from_currency, to_currency, day, rate, source FROM rates WHERE \(filter) ORDER BY from_currency, to_currency, day"
            : """
            SELECT r.from_currency, r.to_currency, r.day, r.rate, r.source FROM rates r JOIN (SELECT from_currency, to_currency, max(day) AS day FROM rates WHERE \(filter)
                                          GROUP BY from_currency, to_currency) m USING (from_currency, to_currency, day)
            ORDER BY r.from_currency, r.to_currency
            """
        return try db.query(sql, code, day).map {
            ExchangeRate(
                from: try $0.text("from_currency"), to: try $0.text("to_currency"), day: try $0.text("day"), rate: try $0.text("rate"),
                source: try $0.text("source"))
        }
    }

    public struct ImportOutcome: Sendable {
        public var format = ""
        public var rates = 0
        public var changed = 0
        public var days = 0
        /// Currency codes in the file that owatch does not know (the ECB's history keeps retired ones).
        public var skippedCurrencies: [String] = []
    }

    /// Imports a rate file: the ECB's `eurofxref-hist.csv` / `eurofxref.csv` (a `Date` column,
    /// then one column per currency, rates per 1 EUR, `N/A` where none was published) or a plain
    /// `date,from,to,rate` CSV. A bad line stops the import with its number; nothing is written.
    public static func importText(_ session: some AuditedWriter, text: String, source: String, force: Bool = false) throws -> ImportOutcome
    {
        let records = try CSV.parse(text, delimiter: CSV.detectDelimiter(text))
        guard let header = records.first else { throw OWError.badData("\(source) is empty") }
        let names = header.fields.map { CSV.trim($0).lowercased() }
        var out = ImportOutcome()
        var rows: [ExchangeRate] = []
        var days = Set<String>()
        var lines: [Int] = []
        func bad(_ line: Int, _ why: String) -> OWError { OWError.badData("\(source) line \(line): \(why)") }
        if names.first == "date", names.count > 1, !names.contains("from") {
            out.format = "ecb"
            var columns: [(Int, String)] = []
            var skipped: [String] = []
            for (i, n) in names.enumerated().dropFirst() where !n.isEmpty {
                if let c = try? Currency.parse(n), c.code != "EUR" { columns.append((i, c.code)) } else { skipped.append(n.uppercased()) }
            }
            out.skippedCurrencies = skipped
            for r in records.dropFirst() {
                let dateText = CSV.trim(r.fields[0])
                guard let day = ecbDay(dateText) else { throw bad(r.line, "'\(dateText.prefix(30))' is not a date") }
                days.insert(day)
                for (i, code) in columns where i < r.fields.count {
                    let cell = CSV.trim(r.fields[i])
                    if cell.isEmpty || cell.uppercased() == "N/A" { continue }
                    do { _ = try ExchangeRates.parseRate(cell) } catch { throw bad(r.line, "\(code): '\(cell.prefix(24))' is not a rate") }
                    rows.append(ExchangeRate(from: "EUR", to: code, day: day, rate: cell, source: source))
                    lines.append(r.line)
                }
            }
        } else if let di = names.firstIndex(of: "date"), let fi = names.firstIndex(of: "from"), let ti = names.firstIndex(of: "to"),
            let ri = names.firstIndex(of: "rate")
        {
            out.format = "plain"
            for r in records.dropFirst() {
                guard r.fields.count > max(di, fi, ti, ri) else { throw bad(r.line, "expected date, from, to and rate") }
                let day = CSV.trim(r.fields[di])
                guard Time.parseDay(day) != nil else { throw bad(r.line, "'\(day.prefix(30))' is not a date (YYYY-MM-DD)") }
                let from: String
                let to: String
                do {
                    (from, to) = (try Currency.parse(CSV.trim(r.fields[fi])).code, try Currency.parse(CSV.trim(r.fields[ti])).code)
                } catch let e as OWError {
                    throw bad(r.line, e.message)
                }
                guard from != to else { throw bad(r.line, "a rate from \(from) to itself") }
                let rate = CSV.trim(r.fields[ri])
                do { _ = try ExchangeRates.parseRate(rate) } catch { throw bad(r.line, "'\(rate.prefix(24))' is not a rate") }
                days.insert(day)
                rows.append(ExchangeRate(from: from, to: to, day: day, rate: rate, source: source))
                lines.append(r.line)
            }
        } else {
            throw OWError.badData(
                "\(source) is not a rate file I know",
                hint: "use the ECB's eurofxref-hist.csv or eurofxref.csv (Date, USD, JPY, …) or a CSV with date,from,to,rate")
        }
        guard !rows.isEmpty else { throw OWError.badData("\(source) has no rates") }
        out.rates = rows.count
        out.days = days.count
        try session.write {
            if !force { try checkPlausible(session.db, rows, lines: lines, source: source) }
            for r in rows {
                try upsert(session.db, r)
                out.changed += session.db.changes
            }
            try session.audit(
                "rate.import", "rates",
                .obj([
                    ("source", .string(source)), ("format", .string(out.format)),
                    ("rates", .int(Int64(out.rates))), ("changed", .int(Int64(out.changed))),
                ]))
        }
        return out
    }

    /// Every imported rate against the one before it for its pair, in day order: the file's own
    /// earlier rate (either direction), else the ledger's. The first implausible one stops the
    /// import with its line; nothing is written.
    static func checkPlausible(_ db: Database, _ rows: [ExchangeRate], lines: [Int], source: String) throws {
        let known = ExchangeRates(db)
        var latest: [String: (rate: Rational, day: String)] = [:]
        for i in rows.indices.sorted(by: { (rows[$0].day, lines[$0]) < (rows[$1].day, lines[$1]) }) {
            let r = rows[i]
            let value = try ExchangeRates.parseRate(r.rate)
            let before = try latest["\(r.from)>\(r.to)"] ?? reference(known, from: r.from, to: r.to, on: r.day)
            if let why = implausible(value, text: r.rate, from: r.from, to: r.to, reference: before) {
                throw OWError.refused("\(source) line \(lines[i]): \(why); nothing was imported", hint: forceHint)
            }
            latest["\(r.from)>\(r.to)"] = (value, r.day)
            latest["\(r.to)>\(r.from)"] = (value.inverse, r.day)
        }
    }

    /// ECB dates: `2024-01-05` in the history file, `05 January 2024` in the daily one.
    static func ecbDay(_ text: String) -> String? {
        if Time.parseDay(text) != nil { return text }
        let parts = text.split(separator: " ")
        let months = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        ]
        guard parts.count == 3, let d = Int(parts[0]), let m = months.firstIndex(of: parts[1].lowercased()), let y = Int(parts[2]) else {
            return nil
        }
        let day = String(cFormat: "%04d-%02d-%02d", y, m + 1, d)
        return Time.parseDay(day) != nil ? day : nil
    }
}
