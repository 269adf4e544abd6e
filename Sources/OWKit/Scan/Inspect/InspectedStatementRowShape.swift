import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// `scan inspect` of a statement: one row per line of the file, as the scan reads it.
public struct InspectedStatementRow: Sendable {
    public let row: StatementRow
    public let vendor: Vendor?

    public init(row: StatementRow, vendor: Vendor?) {
        self.row = row
        self.vendor = vendor
    }
}

/// The one declaration of a statement line's output as `scan inspect` reads it, beside its type:
/// `scan inspect STATEMENT` rows and the manual's OUTPUT come from it.
extension InspectedStatementRow {
    public static let shape = Shape<InspectedStatementRow>(
        [
            Field("line", "inspect (statement): the line (for OFX and CAMT, the entry) it was read from", kind: .number) {
                .int(Int64($0.row.line))
            },
            Field("date", "inspect (statement): the day it was booked, YYYY-MM-DD", kind: .date) { .text(Time.day($0.row.date)) },
            Field("value_date", "inspect (statement): its value day, when the export gives one", kind: .date) {
                .text($0.row.valueDate.map(Time.day))
            },
            Field("description", "inspect (statement): its description as the bank wrote it") { .text($0.row.description) },
            Field("payee", "inspect (statement): the payee, when the export names one apart from the description") { .text($0.row.payee) },
            .money("amount", "inspect (statement): the amount, spend positive and refunds or money in negative") { $0.row.amount },
            .money("foreign_amount", "inspect (statement): the amount in the merchant's currency, when the bank converted it") {
                $0.row.foreign
            },
            Field("foreign_currency", "inspect (statement): the merchant's currency, with foreign_amount") {
                .text($0.row.foreign?.currency.code)
            },
            Field("account", "inspect (statement): the card or account, from its column or the preamble") { .text($0.row.account) },
            Field("vendor", "inspect (statement): the catalog vendor it pays, or null") { .text($0.vendor?.name) },
        ], table: ["line", "date", "description", "amount", "currency", "account", "vendor"], keep: ["date", "amount"],
        dropFirst: ["account", "line"])
}
