import XCTest

@testable import OWReports

/// Text from data as a journal writes it: one line, quoted where the format quotes.
final class JournalTextTests: XCTestCase {
    func testQuotedEscapesBackslashesAndQuotesOnOneLine() {
        XCTAssertEqual(Journal.quoted("Notion"), #""Notion""#)
        XCTAssertEqual(Journal.quoted(#"Evil, Co "x" \ y"#), #""Evil, Co \"x\" \\ y""#)
        XCTAssertEqual(Journal.quoted("a\n\tb;  c"), #""a b, c""#)
        XCTAssertEqual(Journal.quoted(""), #""""#)
        XCTAssertEqual(Journal.quoted(#"\""#), #""\\\"""#)
    }

    /// At most `maxText` scalars, the spaces that replace runs of blanks counted.
    func testOneLineStopsAtItsLength() {
        let long = String(repeating: "ab  ", count: 200)
        let line = Journal.oneLine(long)
        XCTAssertEqual(line.unicodeScalars.count, Journal.maxText)
        XCTAssertTrue(line.hasPrefix("ab ab ab"))
        XCTAssertEqual(Journal.oneLine("é\u{301}x"), "é\u{301}x")
    }
}
