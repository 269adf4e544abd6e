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

final class SupportTests: XCTestCase {
    func testBase64URLIsStrict() {
        XCTAssertEqual(Base64URL.decode("aGk"), Array("hi".utf8))
        XCTAssertEqual(Base64URL.encode(Array("hi?>".utf8)), "aGk_Pg")
        for bad in ["aGk=", "aG+k", "a", "aGl", "a b", "aGk\u{0}"] {
            XCTAssertNil(Base64URL.decode(Substring(bad)), bad)
        }
    }

    /// A quote inside an unquoted field is part of it, as Python's csv reads it (Rabobank writes
    /// such fields); a quoted field still ends at its closing quote.
    func testCSVQuoteInsideAnUnquotedFieldIsACharacter() throws {
        let records = try CSV.parse("a,b\n12\" monitor,\"x, y\"\nsay \"hi\",2\n")
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["12\" monitor", "x, y"], ["say \"hi\"", "2"]])
        XCTAssertThrowsError(try CSV.parse("a\n\"5\"x\n"))
    }

    /// By byte, so a mark after the byte does not hide it; text without it comes back as it is.
    func testReplacingAndRemovingAByte() {
        XCTAssertEqual("Acme | Co".replacingByte(UInt8(ascii: "|"), with: "/"), "Acme / Co")
        XCTAssertEqual("Straße".replacingByte(UInt8(ascii: "|"), with: "/"), "Straße")
        XCTAssertEqual("é|ü|".replacingByte(UInt8(ascii: "|"), with: "∶"), "é∶ü∶")
        XCTAssertEqual("a\"\u{301}b".replacingByte(UInt8(ascii: "\""), with: "\"\""), "a\"\"\u{301}b")
        XCTAssertEqual("2026-12-08".removingByte(UInt8(ascii: "-")), "20261208")
    }

    func testDatesAreStrict() {
        XCTAssertNotNil(Time.parseDay("2028-02-29"))
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-04-31", "２０２６-01-01", ""] {
            XCTAssertNil(Time.parseDay(bad), bad)
        }
    }

    func testDurations() throws {
        XCTAssertEqual(Duration.parse("30d"), Duration(count: 30, unit: .day))
        XCTAssertNil(Duration.parse("3x"))
        XCTAssertNil(Duration.parse("-1d"))
        let jan31 = Time.parseDay("2026-01-31")!
        XCTAssertEqual(Time.day(Duration(count: 1, unit: .month).added(to: jan31)), "2026-02-28")
        XCTAssertEqual(Time.day(Duration(count: 2, unit: .week).added(to: jan31)), "2026-02-14")
        XCTAssertEqual(Time.day(Duration(count: 1, unit: .year).subtracted(from: jan31)), "2025-01-31")
    }

    func testSuggestions() {
        XCTAssertEqual(Suggest.nearest("lst", in: ["list", "show"]), "list")
        XCTAssertEqual(Suggest.nearest("offb", in: ["offboard", "add"]), "offboard")
        XCTAssertNil(Suggest.nearest("zzzzzz", in: ["list", "show"]))
    }
}

final class JSONTests: XCTestCase {
    func testRoundTrip() throws {
        let text = #"{"a":[1,2.50,-3e2],"b":"x\"\n\u00e9\ud83d\ude00","c":null,"d":true}"#
        let v = try JSON.parse(text)
        XCTAssertEqual(v["a"]?.arrayValue?.count, 3)
        XCTAssertEqual(v["b"]?.stringValue, "x\"\né😀")
        XCTAssertEqual(try JSON.parse(v.encoded()), v)
        XCTAssertEqual(v["a"]?.arrayValue?[1], .number("2.50"), "number text is kept exactly")
    }

    func testRejectsHostileInput() {
        for bad in [
            "", "{", "{\"a\":1,\"a\":2}", "[1,]", "01", "1.", "\"\\ud800\"", "\"\u{01}\"", "{} x", "tru",
            "[" + String(repeating: "[", count: 100) + "]",
        ] {
            XCTAssertThrowsError(try JSON.parse(bad, maxDepth: 32), "accepted \(bad.prefix(20))")
        }
        XCTAssertThrowsError(try JSON.parse([0x22, 0xFF, 0x22]), "invalid UTF-8")
    }

    func testCanonicalEncodingSortsKeys() {
        let v = JSON.obj([("b", .int(1)), ("a", .string("é\u{2028}"))])
        XCTAssertEqual(v.encoded(sortedKeys: true), #"{"a":"é\u2028","b":1}"#)
        XCTAssertEqual(v.encoded(), #"{"b":1,"a":"é\u2028"}"#)
    }

    func testIntValue() throws {
        XCTAssertEqual(try JSON.parse("1700000000").intValue, 1_700_000_000)
        XCTAssertNil(try JSON.parse("1.5").intValue)
        XCTAssertNil(try JSON.parse("99999999999999999999").intValue)
    }
}

final class ConcurrencyTests: XCTestCase {
    func testConcurrentMapKeepsOrder() {
        let numbers = Array(0..<10_000)
        XCTAssertEqual(numbers.concurrentMap { $0 * 3 }, numbers.map { $0 * 3 })
        XCTAssertEqual([Int]().concurrentMap { $0 }, [])
        XCTAssertEqual([7].concurrentMap { $0 + 1 }, [8])
    }

    func testPipelineHandsOverEveryPieceInOrder() throws {
        var got: [Int] = []
        try Pipeline<Int>.run(ahead: 2) { put in
            for i in 0..<1_000 { guard put(i) else { return } }
        } consume: {
            got.append($0)
        }
        XCTAssertEqual(got, Array(0..<1_000))
        var none = 0
        try Pipeline<Int>.run { _ in
        } consume: { _ in
            none += 1
        }
        XCTAssertEqual(none, 0)
    }

    /// The consumer's error ends the producer too (it is not left blocked on a full hand-over).
    func testPipelineStopsTheProducerWhenTheConsumerThrows() {
        struct Stop: Error {}
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var made = 0
            var refused = false
        }
        let count = Count()
        XCTAssertThrowsError(
            try Pipeline<Int>.run(ahead: 2) { put in
                for i in 0..<1_000_000 {
                    count.lock.withLock { count.made += 1 }
                    if !put(i) {
                        count.lock.withLock { count.refused = true }
                        return
                    }
                }
            } consume: { piece in
                if piece == 10 { throw Stop() }
            }
        ) { XCTAssertTrue($0 is Stop) }
        XCTAssertTrue(count.refused)
        XCTAssertLessThan(count.made, 100)
    }
}

final class SuffixIgnoringCaseTests: XCTestCase {
    /// Against a plain reference (ASCII-lowercase both, then hasSuffix), on strings and substrings.
    func testAgreesWithLowercasedHasSuffix() {
        let lines = ["", "a", "Receipt", "RECEIPT", "via STRIPE.com", "stripe.COM", "Ärger.com", "x.çom", "com"]
        let suffixes = ["", "com", ".com", "stripe.com", "receipt", "a", "çom"]
        func reference(_ s: Substring, _ suffix: String) -> Bool {
            let fold = { (t: String) in String(decoding: t.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self) }
            return fold(String(s)).hasSuffix(fold(suffix)) && Array(s.utf8).count >= suffix.utf8.count
                && Array(s.utf8.suffix(suffix.utf8.count)).elementsEqual(suffix.utf8) { x, b in
                    x == b || (x | 0x20 == b && b >= 97 && b <= 122)
                }
        }
        for line in lines {
            for suffix in suffixes {
                XCTAssertEqual(line.hasSuffixIgnoringASCIICase(suffix), reference(Substring(line), suffix), "\(line) / \(suffix)")
                let sub = ("> " + line).dropFirst(2)
                XCTAssertEqual(sub.hasSuffixIgnoringASCIICase(suffix), reference(sub, suffix), "\(line) / \(suffix)")
            }
        }
    }
}

final class NeedleSetTests: XCTestCase {
    /// `first(of:)` and `contains(any:)` on a NeedleSet against a plain search term by term, in the set's
    /// order, on sets long enough to take the byte-set path and short ones.
    func testAgreesWithASearchTermByTerm() {
        let long =
            ["total", "amount due", "grand total", "gesamtbetrag", "ご請求金額", "summe", "betrag", "due", "tax", "vat"]
            + (0..<10).map { "filler\($0)" }
        let sets = [long, ["total", "due"], ["zzz"], []]
        let texts = ["", "nothing here", "Grand Total: 12.00", "tax 1.00 then total 2.00", "ご請求金額 ¥6,600", "filler7", "TOTAL", "due"]
        for words in sets {
            let set = NeedleSet(words)
            for text in texts {
                let lower = LowerText(text)
                let expected = words.enumerated().lazy.compactMap { i, w in lower.find(Array(w.lowercased().utf8)).map { (i, $0) } }.first
                let found = lower.first(of: set)
                XCTAssertEqual(found?.index, expected?.0, "\(text) / \(words.count) terms")
                XCTAssertEqual(found?.at, expected?.1, "\(text) / \(words.count) terms")
                XCTAssertEqual(lower.contains(any: set), expected != nil, "\(text) / \(words.count) terms")
                XCTAssertEqual(
                    lower.contains(any: set), Needles.of(words).contains { lower.find($0) != nil }, "\(text) / \(words.count) terms")
            }
        }
    }

    /// The byte-wise tests the readers now make per message say what the lower-cased copies' did.
    func testSenderAndForwardShortcutsAgreeWithTheCopies() {
        let addresses = [
            "billing@stripe.com", "Billing@STRIPE.COM", "a@notstripe.com", "x@apple.com.evil", "anna@acme.example", "", "k@ſtripe.com",
        ]
        let suffixes = ["stripe.com", "apple.com", "google.com"]
        for a in addresses {
            let old = !a.utf8.allSatisfy({ $0 < 0x80 }) || suffixes.contains { a.lowercased().hasSuffix($0) }
            XCTAssertEqual(ProcessorMerchant.endsWithAny(a, suffixes), old, a)
        }
        let subjects = [
            "Fwd: receipt", "FW: x", " fwd: x", "\tWG: Rechnung", "[Fwd: x]", "Re: lunch", "Your receipt", "", "€ fwd:", "TR: facture",
            "Doorst: factuur", "Enc: fatura", "fwd receipt", "Fwdx",
        ]
        for s in subjects {
            let old = Forwarded.prefixes.contains { s.trimmed(.whitespaces).lowercased().hasPrefix($0) }
            XCTAssertEqual(Forwarded.isForward(s), old, s)
        }
    }
}
