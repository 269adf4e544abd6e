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

/// owatch's own charset tables against Python's codecs, the reference they were generated from
/// (.ci/gen-charset-tables) and an independent decoder here: every byte and every valid byte
/// sequence of each charset decodes to the same text; malformed sequences give U+FFFD and
/// leave the characters after them as they were.
final class CharsetDifferentialTests: XCTestCase {
    /// owatch's label → Python's codec.
    static let charsets: [(String, String)] =
        [("iso-8859-1", "latin_1")]
        + [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16].map { ("iso-8859-\($0)", "iso8859_\($0)") }
        + (1250...1258).map { ("windows-\($0)", "cp\($0)") }
        + [
            ("windows-874", "cp874"), ("koi8-r", "koi8_r"), ("koi8-u", "koi8_u"), ("ibm866", "cp866"), ("macintosh", "mac_roman"),
            ("x-mac-cyrillic", "mac_cyrillic"), ("shift_jis", "cp932"), ("euc-jp", "euc_jp"), ("gb18030", "gb18030"), ("big5", "cp950"),
            ("euc-kr", "cp949"), ("iso-2022-jp", "iso2022_jp"),
        ]

    /// Python writes, per charset, every valid single byte, pair, triple and GB18030 four-byte
    /// sequence (the supplementary planes sampled), each followed by a newline, and its decoding.
    static let generator = #"""
        import sys, struct
        out = sys.stdout.buffer
        def ok(b, codec):
            try:
                return b.decode(codec)
            except UnicodeDecodeError:
                return None
        for label, codec in [a.split("=") for a in sys.argv[1:]]:
            seqs = [bytes([b]) for b in range(256) if b != 10]
            if codec == "iso2022_jp":
                seqs = [bytes([b]) for b in range(128) if b not in (10, 13, 27)]
                seqs += [b"\x1b$B" + bytes([a, t]) + b"\x1b(B" for a in range(0x21, 0x7f) for t in range(0x21, 0x7f)]
                seqs += [b"\x1b(J" + bytes([b]) + b"\x1b(B" for b in range(0x20, 0x7f)]
            elif codec in ("cp932", "euc_jp", "gb18030", "cp950", "cp949"):
                seqs += [bytes([a, t]) for a in range(0x81, 0xff) for t in range(0x40, 0xff)]
                if codec == "euc_jp":
                    seqs += [bytes([0x8f, a, t]) for a in range(0xa1, 0xff) for t in range(0xa1, 0xff)]
                if codec == "gb18030":
                    seqs += [bytes([a, b, c, d]) for a in range(0x81, 0x85) for b in range(0x30, 0x3a) for c in range(0x81, 0xff) for d in range(0x30, 0x3a)]
                    seqs += [bytes([a, b, c, d]) for a in range(0x90, 0xe4) for b in (0x30, 0x35, 0x39) for c in (0x81, 0xa0, 0xfe) for d in (0x30, 0x39)]
            valid = [s for s in seqs if ok(s, codec) is not None and len(ok(s, codec)) == 1]
            data = b"".join(s + b"\n" for s in valid)
            text = data.decode(codec).encode("utf-8")
            for part in (label.encode(), data, text):
                out.write(struct.pack("<I", len(part)) + part)
        """#

    func python(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", Self.generator] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return data
    }

    func testEveryValidByteAndSequenceDecodesAsPython() throws {
        let out = [UInt8](try python(Self.charsets.map { "\($0.0)=\($0.1)" }))
        var pos = 0
        func part() -> [UInt8] {
            let n = Int(out[pos]) | Int(out[pos + 1]) << 8 | Int(out[pos + 2]) << 16 | Int(out[pos + 3]) << 24
            defer { pos += 4 + n }
            return Array(out[(pos + 4)..<(pos + 4 + n)])
        }
        var report: [String] = []
        while pos < out.count {
            let label = String(decoding: part(), as: UTF8.self)
            let input = part()
            let expected = String(decoding: part(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let got = Charset.decode(input, charset: label).split(separator: "\n", omittingEmptySubsequences: false)
            let inputs = input.split(separator: 10, omittingEmptySubsequences: false)
            XCTAssertEqual(got.count, expected.count, label)
            let differing = zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }
            for (i, (g, e)) in differing.prefix(5) {
                XCTFail(
                    "\(label) \(inputs[i].map { String($0, radix: 16) }): owatch \(g.unicodeScalars.map(\.value)), Python \(e.unicodeScalars.map(\.value))"
                )
            }
            report.append("\(label): \(expected.count - 1 - differing.count)/\(expected.count - 1) sequences as Python decodes them")
        }
        XCTAssertEqual(report.count, Self.charsets.count)
        print(report.joined(separator: "\n"))
    }

    /// A damaged character costs itself only: what follows (a space, a valid character, text) stays.
    func testMalformedSequencesGiveReplacementAndKeepWhatFollows() {
        let good: [String: ([UInt8], String)] = [
            "shift_jis": ([0x82, 0xA0], "あ"), "euc-jp": ([0xA4, 0xA2], "あ"), "gb18030": ([0xC4, 0xE3], "你"),
            "big5": ([0xA4, 0x40], "一"), "euc-kr": ([0xB0, 0xA1], "가"),
            "iso-2022-jp": ([0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42], "あ"),
            "windows-1252": ([0x80], "€"), "iso-8859-3": ([0xA1], "Ħ"), "koi8-r": ([0xC1], "а"),
        ]
        let bad: [String: [[UInt8]]] = [
            "shift_jis": [[0x81], [0x81, 0x20], [0x85, 0x40], [0xFC, 0xFC]],
            "euc-jp": [[0xA1], [0xA9, 0xA1], [0x8F], [0x8F, 0xA2], [0x8E, 0xE0], [0x80]],
            "gb18030": [[0x81], [0x81, 0x30], [0x81, 0x30, 0x81], [0x84, 0x31, 0xA5, 0x30], [0xFF], [0x80]],
            "big5": [[0xA1], [0xC8, 0x40], [0x80], [0xFF]],
            "euc-kr": [[0x81], [0xA2, 0xE8], [0xFF], [0x80]],
            "iso-2022-jp": [
                [0x1B, 0x24, 0x42, 0x7F, 0x21, 0x1B, 0x28, 0x42], [0x1B, 0x24, 0x42, 0x30, 0x1B, 0x28, 0x42], [0x1B, 0x24, 0x5A], [0x80],
            ],
            "windows-1252": [[0x81], [0x8D, 0x9D]], "iso-8859-3": [[0xA5]], "koi8-r": [],
        ]
        for (label, seqs) in bad {
            let (goodBytes, goodText) = good[label]!
            for seq in seqs {
                let text = Charset.decode(seq + [0x20] + goodBytes + Array("ok".utf8), charset: label)
                XCTAssertTrue(text.hasSuffix(" " + goodText + "ok"), "\(label) \(seq): \(text.unicodeScalars.map(\.value))")
                XCTAssertTrue(text.contains("\u{FFFD}"), "\(label) \(seq)")
            }
        }
    }

    /// Labels from the WHATWG Encoding Standard and the spellings mail writers use reach the same decoder.
    func testLabelsNameTheirEncodings() {
        let eucJP: [UInt8] = [0xA4, 0xB4, 0xC0, 0xC1, 0xB5, 0xE1, 0xB6, 0xE2, 0xB3, 0xDB]  // ご請求金額
        for label in ["euc-jp", "EUC-JP", "x-euc-jp", "cseucpkdfmtjapanese", "euc-jp*ja"] {
            XCTAssertEqual(Charset.decode(eucJP, charset: label), "ご請求金額", label)
        }
        for label in ["gb2312", "GBK", "x-gbk", "gb18030", "csgb2312"] {
            XCTAssertEqual(Charset.decode([0xC4, 0xE3, 0xBA, 0xC3], charset: label), "你好", label)
        }
        for label in ["ks_c_5601-1987", "euc-kr", "windows-949"] {
            XCTAssertEqual(Charset.decode([0xC7, 0xD1, 0xB1, 0xB9], charset: label), "한국", label)
        }
        for label in ["iso-8859-9", "iso8859-9", "ISO_8859-9:1989", "latin5"] {
            XCTAssertEqual(Charset.decode([0xD0, 0xFE], charset: label), "Ğş", label)
        }
        XCTAssertEqual(Charset.decode([0x80, 0x31], charset: "cp1251"), "Ђ1")
        XCTAssertEqual(Charset.decode([0x5C, 0x32, 0x2C, 0x31], charset: "shift_jis"), "¥2,1")  // JIS X 0201's yen sign
        XCTAssertEqual(Charset.decode([0xE2, 0x82, 0xAC], charset: "x-klingon"), "€")  // unknown: UTF-8
    }
}
