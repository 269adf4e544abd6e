import XCTest

@testable import OWCore
@testable import OWReaders

/// The fallback reading's "is this a bill" test: "Angebot" (an offer) rules a document out only as a
/// word of its own, not inside a bill's words ("Angebotsnummer").
final class FallbackTotalTests: XCTestCase {
    let subject = LowerText("")
    let eur = try! Currency.parse("EUR")

    func bill(_ extra: String) -> String {
        "Rechnung\nRechnungsnummer: R-2024-17\n\(extra)\nCloud-Speicher 12 Monate   1.190,00 EUR\n"
    }

    func testAnInvoiceCitingTheQuoteIsABill() {
        for cited in ["Angebotsnummer: A-311", "Angebotsdatum 02.01.2024", "Sonderangebotspreis"] {
            XCTAssertTrue(ReceiptReader.readsAsBill(bill(cited), lowerSubject: subject), cited)
            let read = ReceiptReader.fallback(bill(cited), lowerSubject: subject, sender: nil, defaultCurrency: eur)
            XCTAssertEqual(read?.money, Money(minor: 119_000, currency: eur), cited)
            XCTAssertEqual(read?.how, "fallback")
        }
    }

    func testAnOfferIsNoBill() {
        for offer in ["Angebot Nr. A-311", "Unser Angebot: gültig bis 31.01.2024", "ANGEBOT", "Ihr Angebot (A-311)"] {
            XCTAssertFalse(ReceiptReader.readsAsBill(bill(offer), lowerSubject: subject), offer)
            XCTAssertNil(ReceiptReader.fallback(bill(offer), lowerSubject: subject, sender: nil, defaultCurrency: eur), offer)
        }
        XCTAssertFalse(ReceiptReader.readsAsBill(bill(""), lowerSubject: LowerText("Ihr Angebot A-311")))
        XCTAssertTrue(ReceiptReader.readsAsBill(bill(""), lowerSubject: LowerText("Rechnung zu Angebotsnummer A-311")))
    }

    func testWholeWord() {
        let word = ReceiptReader.offerWord
        XCTAssertTrue(LowerText("angebot").hasWord(word))
        XCTAssertTrue(LowerText("(angebot)").hasWord(word))
        XCTAssertFalse(LowerText("angebote").hasWord(word))
        XCTAssertFalse(LowerText("sonderangebot").hasWord(word))
        XCTAssertFalse(LowerText("überangebot").hasWord(word))
        XCTAssertTrue(LowerText("angebotsnr angebot 1").hasWord(word), "a later whole word")
    }
}
