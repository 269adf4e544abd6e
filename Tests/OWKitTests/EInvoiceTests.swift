import XCTest

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReaders
@testable import OWReports
@testable import OWRequests
@testable import OWScan

/// The e-invoice reader below the command line: decimals, the root element, credit notes, hostile XML.
final class EInvoiceTests: XCTestCase {
    func testDecimalsAsXMLWritesThem() {
        XCTAssertEqual(EInvoice.minorUnits("1234.5", exponent: 2), 123_450)
        XCTAssertEqual(EInvoice.minorUnits("-0.50", exponent: 2), -50)
        XCTAssertEqual(EInvoice.minorUnits("100.0000", exponent: 2), 10_000)
        XCTAssertEqual(EInvoice.minorUnits("0.125", exponent: 2), 13)
        XCTAssertEqual(EInvoice.minorUnits("6600", exponent: 0), 6600)
        XCTAssertNil(EInvoice.minorUnits("1,00", exponent: 2))
        XCTAssertNil(EInvoice.minorUnits("", exponent: 2))
    }

    func testTheRootIsFoundPastCommentsAndDeclarations() {
        let xml = "<?xml version=\"1.0\"?>\n<!-- a <licence> text -->\n<rsm:CrossIndustryInvoice xmlns:rsm=\"x\"/>"
        XCTAssertEqual(EInvoice.rootName(Array(xml.utf8)), "CrossIndustryInvoice")
    }

    func testACreditNoteIsNegativeAndEntitiesAreNotExpanded() throws {
        let xml = """
            <?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "AAAA">]>
            <CreditNote xmlns:cbc="c" xmlns:cac="a"><cbc:ID>&a;</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
            <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">12.30</cbc:PayableAmount></cac:LegalMonetaryTotal></CreditNote>
            """
        let e = try XCTUnwrap(EInvoice.read(Array(xml.utf8)))
        XCTAssertTrue(e.isCredit)
        XCTAssertEqual(e.total, "-12.30")
        XCTAssertEqual(e.amount?.minor, -1230)
        XCTAssertEqual(e.number, "&a;")
    }

    func testADocumentIsABillByWhatItDeclares() {
        func declared(_ xml: String) -> DeclaredDocument? { DeclaredDocument.of(Array(xml.utf8)) }
        let order = declared(
            "<?xml version=\"1.0\"?>\n<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"><ID>1</ID></Order>")
        XCTAssertEqual(order?.kind, .notABill)
        XCTAssertEqual(order?.name, "UBL Order")
        let cii = "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" xmlns:ram=\"r\">"
        let head = "<rsm:ExchangedDocument><ram:ID>1</ram:ID><ram:TypeCode>"
        XCTAssertEqual(declared(cii + head + "325</ram:TypeCode></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>")?.kind, .notABill)
        XCTAssertEqual(declared(cii + head + "261</ram:TypeCode></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>")?.kind, .creditNote)
        XCTAssertEqual(declared(cii + head + "380</ram:TypeCode></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>")?.kind, .invoice)
        // A UBL invoice's type is its InvoiceTypeCode, not a line's or a document reference's TypeCode.
        let ubl =
            "<Invoice><cbc:DocumentTypeCode>325</cbc:DocumentTypeCode><cbc:InvoiceTypeCode listID=\"x\">380</cbc:InvoiceTypeCode></Invoice>"
        XCTAssertEqual(declared(ubl)?.kind, .invoice)
        XCTAssertNil(declared("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>"))
    }

    func testOtherXMLIsNoInvoice() {
        XCTAssertNil(EInvoice.read(Array("<Document><BkToCstmrStmt/></Document>".utf8)))
        XCTAssertNil(EInvoice.read(Array("not xml".utf8)))
    }
}
