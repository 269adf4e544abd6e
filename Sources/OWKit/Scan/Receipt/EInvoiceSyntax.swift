import FoundationEssentials
import OWBase

/// The EN 16931 business terms in UN/CEFACT CII, by element path: D16B (Factur-X, ZUGFeRD 2,
/// XRechnung CII) and the ZUGFeRD 1 names (`HeaderExchangedDocument`, `ApplicableSupplyChainTradeSettlement`).
package struct CIIFields: EInvoiceFields {
    package var result = EInvoice(syntax: "CII")
    private var due: String?
    private var grand: String?

    private static let documents: Set<String> = ["ExchangedDocument", "HeaderExchangedDocument"]
    private static let settlements: Set<String> = ["ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement"]
    private static let summations: Set<String> = [
        "SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedTradeSettlementMonetarySummation",
    ]

    /// The summation's elements by business term.
    private static let terms = [
        "LineTotalAmount": "BT-106", "TaxBasisTotalAmount": "BT-109", "TaxTotalAmount": "BT-110", "GrandTotalAmount": "BT-112",
        "TotalPrepaidAmount": "BT-113", "DuePayableAmount": "BT-115",
    ]

    package mutating func open(_ path: [String], _ attributes: [String: String]) {
        if path.last == "IncludedSupplyChainTradeLineItem" { result.lines += 1 }
    }

    package mutating func text(_ path: [String], _ attributes: [String: String], _ value: String) {
        func first(_ field: inout String?) { if field == nil { field = value } }
        let n = path.count
        if n == 3, Self.documents.contains(path[1]) {
            if path[2] == "ID" { first(&result.number) }
            if path[2] == "TypeCode" { first(&result.typeCode) }
        } else if n == 4, Self.documents.contains(path[1]), path.ends("IssueDateTime", "DateTimeString") {
            if result.issueDate == nil { result.issueDate = Self.day(value) }
        } else if path.ends("SellerTradeParty", "Name") {
            first(&result.sellerName)
        } else if path.ends("SellerTradeParty", "SpecifiedTaxRegistration", "ID"), attributes["schemeID"] == "VA" {
            first(&result.sellerVAT)
        } else if n >= 2, Self.settlements.contains(path[n - 2]), path[n - 1] == "InvoiceCurrencyCode" {
            first(&result.currency)
        } else if n >= 3, Self.settlements.contains(path[n - 3]), Self.summations.contains(path[n - 2]) {
            if path[n - 1] == "DuePayableAmount" { first(&due) }
            if path[n - 1] == "GrandTotalAmount" { first(&grand) }
            if let term = Self.terms[path[n - 1]], result.totals[term] == nil { result.totals[term] = value }
            result.total = due ?? grand
        } else if n >= 4, Self.settlements.contains(path[n - 4]), path[n - 3] == "BillingSpecifiedPeriod", path[n - 1] == "DateTimeString" {
            if path[n - 2] == "StartDateTime", result.periodStart == nil { result.periodStart = Self.day(value) }
            if path[n - 2] == "EndDateTime", result.periodEnd == nil { result.periodEnd = Self.day(value) }
        }
    }

    /// Format 102 (`20261107`) as YYYY-MM-DD; anything else as written when it already is a day.
    package static func day(_ s: String) -> String? {
        let digits = s.trimmed(.whitespacesAndNewlines)
        if digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))"
        }
        return Time.parseDay(digits) == nil ? nil : digits
    }
}

/// The EN 16931 business terms in UBL 2.1 `Invoice` and `CreditNote` (XRechnung UBL, Peppol BIS 3).
package struct UBLFields: EInvoiceFields {
    package var result = EInvoice(syntax: "UBL")
    private var payable: String?
    private var inclusive: String?
    private var partyName: String?
    private var legalName: String?

    /// LegalMonetaryTotal's elements by business term.
    private static let terms = [
        "LineExtensionAmount": "BT-106", "TaxExclusiveAmount": "BT-109", "TaxInclusiveAmount": "BT-112", "PrepaidAmount": "BT-113",
        "PayableAmount": "BT-115",
    ]

    package init(credit: Bool) { result.isCredit = credit }

    package mutating func open(_ path: [String], _ attributes: [String: String]) {
        if path.count == 2, path[1] == "InvoiceLine" || path[1] == "CreditNoteLine" { result.lines += 1 }
    }

    package mutating func text(_ path: [String], _ attributes: [String: String], _ value: String) {
        func first(_ field: inout String?) { if field == nil { field = value } }
        let n = path.count
        if n == 2 {
            switch path[1] {
            case "ID": first(&result.number)
            case "IssueDate": first(&result.issueDate)
            case "InvoiceTypeCode", "CreditNoteTypeCode": first(&result.typeCode)
            case "DocumentCurrencyCode": first(&result.currency)
            default: break
            }
        } else if n == 3, path[1] == "LegalMonetaryTotal" {
            if path[2] == "PayableAmount" { first(&payable) }
            if path[2] == "TaxInclusiveAmount" { first(&inclusive) }
            result.total = payable ?? inclusive
            if let term = Self.terms[path[2]], result.totals[term] == nil { result.totals[term] = value }
        } else if n == 3, path[1] == "TaxTotal", path[2] == "TaxAmount" {
            if result.totals["BT-110"] == nil { result.totals["BT-110"] = value }
        } else if n == 3, path[1] == "InvoicePeriod" {
            if path[2] == "StartDate" { first(&result.periodStart) }
            if path[2] == "EndDate" { first(&result.periodEnd) }
        } else if n >= 5, path[1] == "AccountingSupplierParty", path[2] == "Party" {
            if path.ends("PartyName", "Name") { first(&partyName) }
            if path.ends("PartyLegalEntity", "RegistrationName") { first(&legalName) }
            if path.ends("PartyTaxScheme", "CompanyID") { first(&result.sellerVAT) }
            result.sellerName = partyName ?? legalName
        }
    }
}
