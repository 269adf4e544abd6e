import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// One person's leave in a year, with the approved requests the holidays would now count differently.
public struct YearOfLeave: Sendable {
    public let row: LeaveRow
    public let year: Int
    public let drift: [(id: Int64, user: String, approved: Int, now: Int)]

    public init(row: LeaveRow, year: Int, drift: [(id: Int64, user: String, approved: Int, now: Int)]) {
        self.row = row
        self.year = year
        self.drift = drift
    }
}

/// The one declaration of a year of leave's output, beside its type: `report leave` rows and the
/// manual's OUTPUT come from it.
extension YearOfLeave {
    public static let shape: Shape<YearOfLeave> = {
        // Days are numbers in JSON and CSV (halves as .5), written the same in tables.
        func days(_ key: String, _ doc: String, _ halves: @escaping @Sendable (YearOfLeave) -> Int) -> Field<YearOfLeave> {
            Field(key, doc, kind: .number) { .json(.number(Leave.days(halves($0)))) }
        }
        return Shape(
            [
                Field("user", "leave: who") { .text($0.row.user) },
                Field("dept", "leave: their department") { .text($0.row.dept) },
                Field("year", "leave: the year") { .int(Int64($0.year)) },
                days("allowance", "leave: the year's vacation allowance") { $0.row.balance.allowance },
                days("taken", "leave: approved vacation days up to today") { $0.row.balance.taken },
                days("planned", "leave: approved vacation days after today") { $0.row.balance.planned },
                days("pending", "leave: vacation days waiting for approval") { $0.row.balance.pending },
                days("remaining", "leave: days left this year") { $0.row.balance.remaining },
                days("sick", "leave: sick days") { $0.row.sick },
                days("unpaid", "leave: unpaid days") { $0.row.unpaid },
                Field("would_change", "leave: approved requests the current holidays would count differently", kind: .text) { y in
                    .list(y.drift.map { "#\($0.id): \(Leave.days($0.approved)) → \(Leave.days($0.now)) days" })
                },
            ], keep: ["remaining"], dropFirst: ["would_change", "dept", "year", "planned"])
    }()
}
