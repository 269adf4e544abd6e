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

/// Each PDF stream decoder against reference encoders (Tests/e2e/pdf_encoders.py: Python's
/// base64.a85encode, binascii.hexlify and zlib, and LZW, RunLength, PNG and TIFF predictor
/// encoders written from the standard) on text, binary and long-run data: the bytes come back.
final class PDFFilterTests: XCTestCase {
    static let generator = #"""
        import os, random, struct, sys, zlib
        sys.path.insert(0, sys.argv[1])
        from pdf_encoders import a85, ahx, lzw, png_predict, runlength, tiff_predict
        rng = random.Random(7)
        samples = [b"", b"x", b"BT (Total due: EUR 1,234.50) Tj ET\n" * 40, bytes(range(256)) * 3, b"\0" * 5000,
                   bytes(rng.getrandbits(8) for _ in range(20000)), bytes(rng.choice(b"ab") for _ in range(30000))]
        out = sys.stdout.buffer
        def emit(name, predictor, colors, bpc, columns, early, encoded, expected):
            out.write(name.encode().ljust(16) + struct.pack("<6I", predictor, colors, bpc, columns, early, len(encoded)) + encoded
                      + struct.pack("<I", len(expected)) + expected)
        for data in samples:
            emit("ASCII85Decode", 1, 1, 8, 1, 1, a85(data), data)
            emit("ASCIIHexDecode", 1, 1, 8, 1, 1, ahx(data), data)
            emit("RunLengthDecode", 1, 1, 8, 1, 1, runlength(data), data)
            emit("FlateDecode", 1, 1, 8, 1, 1, zlib.compress(data), data)
            for early in (0, 1):
                emit("LZWDecode", 1, 1, 8, 1, early, lzw(data, early), data)
        data = bytes(rng.getrandbits(8) for _ in range(4 * 3 * 2 * 60))
        for colors, bpc, columns in ((1, 8, 24), (3, 8, 8), (4, 8, 6), (2, 16, 6), (1, 1, 192), (3, 2, 32), (1, 4, 48)):
            row = (colors * bpc * columns + 7) // 8
            bpp = max(1, colors * bpc // 8)
            emit("FlateDecode", 15, colors, bpc, columns, 1, zlib.compress(png_predict(data, row, bpp)), data)
            emit("LZWDecode", 2, colors, bpc, columns, 0, lzw(tiff_predict(data, colors, bpc, columns), 0), data)
        """#

    func testEachDecoderGivesBackWhatItsReferenceEncoderEncoded() throws {
        let e2e = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("e2e")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", Self.generator, e2e.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        var pos = 0
        func u32() -> Int {
            defer { pos += 4 }
            return Int(out[pos]) | Int(out[pos + 1]) << 8 | Int(out[pos + 2]) << 16 | Int(out[pos + 3]) << 24
        }
        func bytes(_ n: Int) -> [UInt8] {
            defer { pos += n }
            return Array(out[pos..<(pos + n)])
        }
        var cases = 0
        while pos < out.count {
            let name = String(decoding: bytes(16), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            var parms = PDFFilters.Parms()
            (parms.predictor, parms.colors, parms.bitsPerComponent, parms.columns, parms.earlyChange) = (u32(), u32(), u32(), u32(), u32())
            let encoded = bytes(u32())
            let expected = bytes(u32())
            let got = PDFFilters.decode(encoded, filter: name, parms: parms, limit: 1 << 24) ?? []
            XCTAssertEqual(got.count, expected.count, "\(name) \(parms)")
            XCTAssertTrue(
                got == expected,
                "\(name) \(parms): first difference at \(zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)"
            )
            cases += 1
        }
        XCTAssertEqual(cases, 7 * 6 + 7 * 2)
    }

    /// Every decoder stops at its limit, however much its input says to write.
    func testDecodersStopAtTheirLimit() {
        let bomb: [(String, [UInt8])] = [
            ("RunLengthDecode", [UInt8](repeating: 0x81, count: 20_000)),  // 128 bytes per two input bytes
            ("ASCII85Decode", [UInt8](repeating: UInt8(ascii: "z"), count: 20_000)),
            ("LZWDecode", PDFFilterTests.lzwRuns),
        ]
        for (name, input) in bomb {
            let out = PDFFilters.decode(input, filter: name, parms: PDFFilters.Parms(), limit: 1000) ?? []
            XCTAssertLessThanOrEqual(out.count, 1000, name)
            XCTAssertGreaterThan(out.count, 0, name)
        }
        // Abbreviated names (inline images) name the same decoders.
        XCTAssertEqual(PDFFilters.decode(Array("41 42>".utf8), filter: "AHx", parms: PDFFilters.Parms(), limit: 10), [0x41, 0x42])
        XCTAssertNil(PDFFilters.decode([1, 2, 3], filter: "DCT", parms: PDFFilters.Parms(), limit: 10))
    }

    /// LZW codes 256 (clear), then 0, 258, 259, 260… (each a longer run of zeros), 9 bits each.
    static let lzwRuns: [UInt8] = {
        var codes = [256, 0]
        codes += (258..<500).map { $0 }
        var bits: [Bool] = []
        for c in codes { for b in (0..<9).reversed() { bits.append(c >> b & 1 == 1) } }
        return stride(from: 0, to: bits.count, by: 8).map { i in
            (0..<8).reduce(UInt8(0)) { acc, k in acc << 1 | (i + k < bits.count && bits[i + k] ? 1 : 0) }
        }
    }()
}
