import Foundation
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

/// Issue 31: statement lines known by identity, processors' merchants, the recurring-charge detector.
final class StatementIdentityTests: XCTestCase {
    /// A statement's day in every way banks write one; a year first is always year, month, day.
    func testStatementDays() {
        let cases: [(String, Bool, String)] = [
            ("2025/06/07", false, "2025-06-07"), ("2025/06/07", true, "2025-06-07"), ("2025-06-07 10:11", false, "2025-06-07"),
            ("20250607", false, "2025-06-07"), ("07.06.2025", false, "2025-06-07"), ("06/07/2025", false, "2025-06-07"),
            ("07/06/2025", true, "2025-06-07"), ("7-Jun-2025", false, "2025-06-07"), ("Jun 7, 2025", false, "2025-06-07"),
            ("07/06/25", true, "2025-06-07"),
        ]
        for (text, dayFirst, day) in cases {
            XCTAssertEqual(StatementSigns.parseDate(text, dayFirst: dayFirst), Time.parseDay(day), text)
        }
        XCTAssertNil(StatementSigns.parseDate("2025/13/07", dayFirst: false))
    }

    func testIdentityIgnoresTheFileAndCountsIdenticalLines() {
        var a = StatementIdentity(account: nil)
        let eur = Money(minor: 4800, currency: try! Currency.parse("EUR"))
        let first = a.key(day: "2026-11-05", amount: eur, description: "FIGMA  San Francisco")
        let second = a.key(day: "2026-11-05", amount: eur, description: "figma san francisco")
        XCTAssertEqual(first, "stmt:-:2026-11-05:EUR:4800:figma san francisco:0")
        XCTAssertEqual(second, "stmt:-:2026-11-05:EUR:4800:figma san francisco:1")
        var card = StatementIdentity(account: "4748 **** 1234")
        XCTAssertEqual(card.key(day: "2026-11-05", amount: eur, description: "x"), "stmt:@4748****1234:2026-11-05:EUR:4800:x:0")
    }

    func testOldKeysAreRewrittenToWhatNewKeysLookFor() {
        let old = "stmt:3:2026-11-05:FIGMA: SAN FRANCISCO:4800:1"
        let new = StatementIdentity.rekeyed(legacy: old)
        XCTAssertEqual(new, "stmt:-:2026-11-05:*:4800:figma san francisco:1")
        XCTAssertEqual(StatementIdentity.legacy(of: "stmt:@DE12:2026-11-05:EUR:4800:figma san francisco:1"), new)
        XCTAssertEqual(StatementIdentity.rekeyed(legacy: "stmt:3:bad:05.11.2026:X:9e99"), "stmt:bad:05.11.2026:X:9e99")
        XCTAssertNil(StatementIdentity.rekeyed(legacy: "stmt:-:2026-11-05:EUR:4800:x:0"))
        XCTAssertNil(StatementIdentity.rekeyed(legacy: "stopped:3:sha256:ab"))
    }

    func testProcessorsNameTheMerchant() {
        XCTAssertEqual(PaymentProcessor.split("PAYPAL *QUILLPAD")?.merchant, "QUILLPAD")
        XCTAssertEqual(PaymentProcessor.split("PADDLE.NET* LEDGERLINE")?.name, "Paddle")
        XCTAssertEqual(PaymentProcessor.split("2CO.COM*INKWELL SOFTWARE")?.merchant, "INKWELL SOFTWARE")
        XCTAssertNil(PaymentProcessor.split("PAYPAL INST XFER"))
        XCTAssertNil(PaymentProcessor.split("ACME *STORE"))
        XCTAssertEqual(UnknownMerchant.named("QUILLPAD.IO 4155550123 CA", processor: nil)?.name, "Quillpad")
        XCTAssertEqual(UnknownMerchant.named("QUANTLY ANNUAL", processor: nil)?.key, "quantly")
        XCTAssertEqual(UnknownMerchant.named("ZORBIX CLOUD TOOLS GMBH BERLIN", processor: nil)?.name, "Zorbix Cloud Tools")
        XCTAssertNil(UnknownMerchant.named("REWE MARKT 4711", processor: nil))
        XCTAssertNil(UnknownMerchant.named("UBER TRIP HELP.UBER.COM", processor: nil))
    }

    func testRecurringChargesAreOnScheduleAtAStablePrice() {
        func lines(_ list: [(String, Int64)]) -> [RecurringCharges.Line] { list.map { RecurringCharges.Line(day: $0.0, minor: $0.1) } }
        let monthly = lines([("2026-01-05", 2625), ("2026-02-06", 2625), ("2026-03-04", 3500), ("2026-04-05", 3500)])
        XCTAssertEqual(RecurringCharges.detect(monthly)?.period, .monthly)  // 3 seats, then 4: a price per seat
        XCTAssertEqual(RecurringCharges.detect(monthly)?.monthly, Rational(3500, 1))
        let yearly = lines([("2025-03-10", 24000), ("2026-03-12", 24000)])
        XCTAssertEqual(RecurringCharges.detect(yearly)?.monthly, Rational(2000, 1))
        // Three visits that fall into step, among others of the same shop: irregular spend.
        let shop = lines([
            ("2026-01-05", 450), ("2026-01-19", 450), ("2026-02-05", 450), ("2026-02-21", 450), ("2026-03-05", 450), ("2026-03-30", 450),
        ])
        XCTAssertNil(RecurringCharges.detect(shop))
        XCTAssertNil(RecurringCharges.detect(lines([("2026-01-05", 1299), ("2026-02-05", 4711), ("2026-03-05", 1299)])))
    }
}
