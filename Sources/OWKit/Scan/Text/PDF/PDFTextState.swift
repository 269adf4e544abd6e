import FoundationEssentials
import OWBase

extension PDFLayout {
    /// The text state a content stream sets (PDF 32000 §9.3) and the matrices that place what it
    /// shows: the text operators (`BT`, `Tc` … `TJ`) act on it, and each string shown becomes a `Run`.
    struct TextState {
        var ctm: Matrix
        var tm = PDFLayout.identity
        var tlm = PDFLayout.identity
        var font: PDFFont?
        var size = 0.0
        var charSpace = 0.0
        var wordSpace = 0.0
        var scale = 1.0
        var leading = 0.0
        var rise = 0.0

        init(ctm: Matrix) { self.ctm = ctm }

        /// Operand `i` as a number (0 when it is missing or not one).
        static func number(_ operands: [PDFObject], _ i: Int) -> Double { i < operands.count ? operands[i].number ?? 0 : 0 }

        mutating func moveLine(_ tx: Double, _ ty: Double) {
            tlm = PDFLayout.multiply((1, 0, 0, 1, tx, ty), tlm)
            tm = tlm
        }

        /// Shows a string: its run (nil when it shows no text), the text matrix moved past it.
        mutating func show(_ s: [UInt8]) -> Run? {
            guard let f = font else { return nil }
            var text = ""
            let start = PDFLayout.multiply(PDFLayout.multiply((size * scale, 0, 0, size, 0, rise), tm), ctm)
            for code in f.codes(s) {
                text += f.text(code)
                let advance = (f.width(code) / 1000 * size + charSpace + (code == 32 && !f.isType0 ? wordSpace : 0)) * scale
                tm = PDFLayout.multiply((1, 0, 0, 1, advance, 0), tm)
            }
            // Ligature glyphs (ﬁ, ﬂ, ﬃ) read as their letters, as pdftotext gives them: "Proﬁle" is "Profile".
            if text.unicodeScalars.contains(where: { PDFLayout.ligatures[$0.value] != nil }) {
                text = String(text.unicodeScalars.map { PDFLayout.ligatures[$0.value] ?? String($0) }.joined())
            }
            let end = PDFLayout.multiply(PDFLayout.multiply((size * scale, 0, 0, size, 0, rise), tm), ctm)
            let height = (start.c * start.c + start.d * start.d).squareRoot()
            return text.isEmpty ? nil : Run(x: start.e, y: start.f, end: end.e, size: max(height, 1), text: text)
        }

        /// Applies a text operator (any other operator does nothing); what it shows goes to `runs`.
        mutating func apply(_ op: Substring, _ operands: [PDFObject], runs: inout [Run]) {
            func number(_ i: Int) -> Double { TextState.number(operands, i) }
            func show(_ s: [UInt8]) { if let run = self.show(s) { runs.append(run) } }
            switch op {
            case "BT":
                tm = PDFLayout.identity
                tlm = PDFLayout.identity
            case "Tc": charSpace = number(0)
            case "Tw": wordSpace = number(0)
            case "Tz": scale = number(0) / 100
            case "TL": leading = number(0)
            case "Ts": rise = number(0)
            case "Td": moveLine(number(0), number(1))
            case "TD":
                leading = -number(1)
                moveLine(number(0), number(1))
            case "Tm":
                tlm = (number(0), number(1), number(2), number(3), number(4), number(5))
                tm = tlm
            case "T*": moveLine(0, -leading)
            case "Tj": if case .string(let s)? = operands.last { show(s) }
            case "'":
                moveLine(0, -leading)
                if case .string(let s)? = operands.last { show(s) }
            case "\"":
                wordSpace = number(0)
                charSpace = number(1)
                moveLine(0, -leading)
                if case .string(let s)? = operands.last { show(s) }
            case "TJ":
                for item in operands.last?.array ?? [] {
                    switch item {
                    case .string(let s): show(s)
                    case .number(let n): tm = PDFLayout.multiply((1, 0, 0, 1, -n / 1000 * size * scale, 0), tm)
                    default: break
                    }
                }
            default: break
            }
        }
    }
}
