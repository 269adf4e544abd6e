import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// Subscriptions among the card lines of a merchant the catalog does not know (issue 31): charged
/// on a regular cadence — monthly or yearly, within a few days of its calendar schedule — at a stable amount, or a stable
/// amount per seat (each a whole number of one unit price). That is how the long tail is found
/// without a list of every vendor on earth. Irregular spend (a shop visited now and then) is not:
/// the regular lines must be most of the merchant's lines over the time they span.
package enum RecurringCharges {
    package struct Line: Sendable {
        package let day: String
        package let minor: Int64
    }

    /// What the lines show: the cadence, the lines that keep it, and the latest amount.
    package struct Pattern: Sendable {
        package let period: Period
        package let lines: [Line]
        var latest: Int64 { lines.last?.minor ?? 0 }
        /// What it costs a month at the latest amount, exactly.
        package var monthly: Rational { Rational(latest, 1) * period.chargesPerMonth }
    }

    /// A cadence: how many charges show it, and how many days off its calendar schedule (the
    /// first charge's day advanced by whole periods) a charge may post.
    package struct Cadence {
        package let period: Period
        let atLeast: Int
        let slack: Int
    }

    /// Cards post a few days late, and a month's 29th–31st moves to the next month's first days.
    static let cadences = [Cadence(period: .monthly, atLeast: 3, slack: 4), Cadence(period: .yearly, atLeast: 2, slack: 6)]

    /// The share of a merchant's lines, over the span of a cadence, that must keep it: 9 in 10 (an add-on bought in between now and then).
    static let regularShare = (9, 10)

    /// The longest regular run in one currency's lines (spend only), or nil.
    package static func detect(_ lines: [Line]) -> Pattern? {
        let spend = lines.filter { $0.minor > 0 }.sorted { $0.day < $1.day }
        let days = spend.map { Time.parseDay($0.day).map { Int($0.timeIntervalSince1970 / 86_400) } ?? 0 }
        var best: Pattern?
        guard let first = days.first, let last = days.last else { return nil }
        for cadence in cadences {
            // A run is at least half the lines, and one a period is all the span holds: a shop
            // visited daily is passed over without looking.
            let periodDays = cadence.period == .monthly ? 28 : 360
            guard ((last - first) / periodDays + 1) * 2 >= spend.count else { continue }
            guard let run = longestRun(spend, days: days, cadence), run.count >= cadence.atLeast else { continue }
            // Lines of the merchant within the run's span that are not in it: irregular spend. A
            // run as short as a cadence can be shown by must be all there is.
            let inSpan = days.filter { $0 >= days[run[0]] && $0 <= days[run[run.count - 1]] }.count
            let alone = run.count > cadence.atLeast ? run.count * regularShare.1 >= inSpan * regularShare.0 : run.count == inSpan
            // A shop visited now and then at one price falls into step for a few months by chance:
            // a subscription's run is at least half of all the merchant's lines.
            guard alone, run.count * 2 >= spend.count else { continue }
            if best == nil || run.count > best!.lines.count { best = Pattern(period: cadence.period, lines: run.map { spend[$0] }) }
        }
        return best
    }

    /// From each line, the run of lines on its calendar schedule at a stable amount; the longest.
    static func longestRun(_ lines: [Line], days: [Int], _ cadence: Cadence) -> [Int]? {
        var best: [Int] = []
        for start in lines.indices {
            guard let anchor = Time.parseDay(lines[start].day) else { continue }
            var run = [start]
            var next = start + 1
            var due = Int(cadence.period.advance(anchor).timeIntervalSince1970 / 86_400)
            while next < lines.count {
                if days[next] > due + cadence.slack { break }
                if abs(days[next] - due) <= cadence.slack && stable(lines[next].minor, lines[start].minor) {
                    run.append(next)
                    due = Int(cadence.period.advance(anchor, times: run.count).timeIntervalSince1970 / 86_400)
                }
                next += 1
            }
            if run.count > best.count { best = run }
        }
        return best.isEmpty ? nil : best
    }

    /// Within 3% of each other (tax and conversion move a price a little), or both whole numbers
    /// of one unit price of at least 1.00, up to 200 seats (3 seats, then 4).
    static func stable(_ a: Int64, _ b: Int64) -> Bool {
        if (a - b).magnitude * 100 <= 3 * max(a, b).magnitude { return true }
        let unit = Rational.gcd(abs(a), abs(b))
        return unit >= 100 && a / unit <= 200 && b / unit <= 200
    }
}
