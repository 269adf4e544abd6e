import XCTest

@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWRemote
@testable import OWReports

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

    func testOtherXMLIsNoInvoice() {
        XCTAssertNil(EInvoice.read(Array("<Document><BkToCstmrStmt/></Document>".utf8)))
        XCTAssertNil(EInvoice.read(Array("not xml".utf8)))
    }
}
