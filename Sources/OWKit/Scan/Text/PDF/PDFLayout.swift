import FoundationEssentials
import OWBase

/// A page's text as a person reads it: each shown string placed where the text and graphics
/// matrices put it (`Tm`, `Td`, `TD`, `T*`, `'`, `"`, `TJ` adjustments, `cm`, Form XObjects),
/// then grouped into lines by baseline and ordered left to right, with a space where the gap
/// between two pieces is a word gap. A label and its amount on one printed line come out on one line.
package struct PDFLayout {
    package struct Run {
        package let x: Double
        package let y: Double
        package let end: Double
        package let size: Double
        package let text: String

        /// The same text at nearly the same place: within a tenth of the font size along the
        /// line and a fifth across it (poppler's limits for a duplicated character).
        /// On the same line and sharing some of its width.
        func overlaps(_ other: Run) -> Bool {
            abs(other.y - y) < 0.5 * min(size, other.size) && other.x < end && x < other.end
        }

        func isDrawnAgain(by other: Run) -> Bool {
            other.text == text && abs(other.x - x) < 0.1 * size && abs(other.y - y) < 0.2 * size
        }
    }
    package typealias Matrix = (a: Double, b: Double, c: Double, d: Double, e: Double, f: Double)

    package static let identity: Matrix = (1, 0, 0, 1, 0, 0)
    static let ligatures: [UInt32: String] = [
        0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
    ]
    static func multiply(_ m: Matrix, _ n: Matrix) -> Matrix {
        (
            m.a * n.a + m.b * n.c, m.a * n.b + m.b * n.d, m.c * n.a + m.d * n.c, m.c * n.b + m.d * n.d,
            m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f
        )
    }

    package let doc: PDFDocument
    var runs: [Run] = []
    var operations = 0
    static let maxOperations = 2_000_000
    private var fonts: [String: PDFFont] = [:]  // by font object or resource name

    package init(_ doc: PDFDocument) { self.doc = doc }

    /// Interprets a content stream with its resources, under `ctm` (Form XObjects nest, at most 8 deep).
    package mutating func run(_ content: [UInt8], resources: [String: PDFObject], ctm start: Matrix, depth: Int = 0) throws {
        guard depth < 8 else { return }
        var p = PDFParser(content)
        var operands: [PDFObject] = []
        var st = TextState(ctm: start)
        var stack: [(Matrix, Double, Double, Double, Double, Double, PDFFont?, Double)] = []
        let fontDict = doc.dict(resources["Font"]) ?? [:]
        let xobjects = doc.dict(resources["XObject"]) ?? [:]

        while p.pos < content.count {
            operations += 1
            if operations % 4096 == 0 { try doc.budget.checkTime() }
            guard operations < PDFLayout.maxOperations else { return }
            let before = p.pos
            guard let v = p.value() else {
                if p.pos == before { p.pos += 1 }
                operands.removeAll()
                continue
            }
            guard case .name(let w) = v, w.hasPrefix("#") else {
                operands.append(v)
                if operands.count > 64 { operands.removeFirst() }
                continue
            }
            switch w.dropFirst() {
            case "q":
                if stack.count < 64 { stack.append((st.ctm, st.charSpace, st.wordSpace, st.scale, st.leading, st.rise, st.font, st.size)) }
            case "Q":
                if let s = stack.popLast() { (st.ctm, st.charSpace, st.wordSpace, st.scale, st.leading, st.rise, st.font, st.size) = s }
            case "cm":
                let n = { TextState.number(operands, $0) }
                st.ctm = PDFLayout.multiply((n(0), n(1), n(2), n(3), n(4), n(5)), st.ctm)
            case "Tf":
                st.size = TextState.number(operands, 1)
                if case .name(let n)? = operands.first {
                    let key = n
                    if let cached = fonts[key] {
                        st.font = cached
                    } else {
                        let loaded = PDFFont.load(doc, fontDict[n])
                        fonts[key] = loaded
                        st.font = loaded
                    }
                }
            case "Do":
                if case .name(let n)? = operands.first {
                    try form(xobjects[n], resources: resources, ctm: st.ctm, depth: depth)
                }
            case "BI": PDFInlineImage.skip(&p)
            case let op: st.apply(op, operands, runs: &runs)
            }
            operands.removeAll(keepingCapacity: true)
        }
    }

    /// Draws a Form XObject (`Do`) under `ctm` and its own matrix; anything else `Do` names (an image) shows no text.
    private mutating func form(_ object: PDFObject?, resources: [String: PDFObject], ctm: Matrix, depth: Int) throws {
        if let x = doc.resolve(object), case .stream(let d, _) = x,
            doc.resolve(d["Subtype"])?.name == "Form", let inner = doc.decoded(x)
        {
            let m = doc.resolve(d["Matrix"])?.array?.compactMap { doc.resolve($0)?.number } ?? []
            let matrix: Matrix = m.count == 6 ? (m[0], m[1], m[2], m[3], m[4], m[5]) : PDFLayout.identity
            var nested = PDFLayout(doc)
            nested.operations = operations
            try nested.run(
                inner, resources: doc.dict(d["Resources"]) ?? resources, ctm: PDFLayout.multiply(matrix, ctm), depth: depth + 1)
            operations = nested.operations
            runs += nested.runs
        }
    }

    /// What the page's annotations show (filled-in form fields, stamps, free text): each normal
    /// appearance drawn into its rectangle, as a viewer and pdftotext show it. Hidden ones are not.
    mutating func annotations(of page: [String: PDFObject]) throws {
        for item in (doc.resolve(page["Annots"])?.array ?? []).prefix(1_000) {
            guard let annot = doc.dict(item), (doc.resolve(annot["F"])?.number.flatMap(Int.init(checked:)) ?? 0) & 2 == 0,
                let appearances = doc.dict(annot["AP"])
            else { continue }
            var normal = doc.resolve(appearances["N"])
            // A check box's appearances are its states: the one it is in.
            if case .dict(let states)? = normal { normal = doc.resolve(states[doc.resolve(annot["AS"])?.name ?? ""]) }
            guard case .stream(let d, _)? = normal, let content = doc.decoded(normal) else { continue }
            func numbers(_ o: PDFObject?) -> [Double] { doc.resolve(o)?.array?.compactMap { doc.resolve($0)?.number } ?? [] }
            let rect = numbers(annot["Rect"])
            let box = numbers(d["BBox"])
            let m = numbers(d["Matrix"])
            guard rect.count == 4, box.count == 4 else { continue }
            let matrix: Matrix = m.count == 6 ? (m[0], m[1], m[2], m[3], m[4], m[5]) : PDFLayout.identity
            // The box through its matrix, then fitted to the rectangle (ISO 32000-2, 12.5.5).
            let corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])].map { x, y in
                (x * matrix.a + y * matrix.c + matrix.e, x * matrix.b + y * matrix.d + matrix.f)
            }
            let xs = corners.map(\.0)
            let ys = corners.map(\.1)
            let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 0)
            let (y0, y1) = (ys.min() ?? 0, ys.max() ?? 0)
            let sx = x1 > x0 ? (max(rect[0], rect[2]) - min(rect[0], rect[2])) / (x1 - x0) : 1
            let sy = y1 > y0 ? (max(rect[1], rect[3]) - min(rect[1], rect[3])) / (y1 - y0) : 1
            let fit: Matrix = (sx, 0, 0, sy, min(rect[0], rect[2]) - sx * x0, min(rect[1], rect[3]) - sy * y0)
            try run(content, resources: doc.dict(d["Resources"]) ?? [:], ctm: PDFLayout.multiply(matrix, fit), depth: 1)
        }
    }

    /// The runs as lines: top to bottom, left to right, a space at word gaps.
    package func lines() -> [String] {
        // Runs of blanks only say nothing a gap does not: a table cell's trailing spaces
        // (word processors pad cells) would otherwise reach into the next column and split its
        // words ("0  3  /2  5"). Word gaps come from the geometry below.
        let sorted = runs.filter { !$0.text.allSatisfy { $0 == " " || $0 == "\u{A0}" } }.sorted { $0.y != $1.y ? $0.y > $1.y : $0.x < $1.x }
        var groups: [[Run]] = []
        for r in sorted {
            if let last = groups.last?.first, abs(last.y - r.y) <= max(2, 0.4 * min(last.size, r.size)) {
                groups[groups.count - 1].append(r)
            } else {
                groups.append([r])
            }
        }
        return groups.map { group in
            var line = ""
            var previous: Run?
            var kept: [Run] = []
            for r in group.sorted(by: { $0.x < $1.x }) {
                // Fake bold draws the same glyphs again a hair's breadth away (a word processor's
                // "bold" of a font with no bold face, often a total): a person sees them once.
                if kept.reversed().prefix(while: { r.x - $0.x < 0.1 * $0.size }).contains(where: { $0.isDrawnAgain(by: r) }) { continue }
                kept.append(r)
                if let prev = previous {
                    let gap = r.x - prev.end
                    if gap > 0.15 * min(prev.size, r.size), !line.hasSuffix(" "), !r.text.hasPrefix(" ") { line += " " }
                }
                line += r.text
                previous = r
            }
            return line.trimmedBlanks
        }.filter { !$0.isEmpty }
    }
}

extension PDFText {
    /// The text of every page through the document's objects and fonts; nil when it has no pages
    /// or no text (the stream scan then has its turn).
    static func layoutText(_ doc: PDFDocument) throws -> String? {
        let budget = doc.budget
        var pages: [String] = []
        for (page, resources) in doc.pages() {
            try budget.checkTime()
            var content: [UInt8] = []
            switch doc.resolve(page["Contents"]) {
            case .array(let parts)?: for part in parts.prefix(256) { if let bytes = doc.decoded(part) { content += bytes + [10] } }
            case let single?: if let bytes = doc.decoded(single) { content = bytes }
            case nil: break
            }
            var layout = PDFLayout(doc)
            if !content.isEmpty { try layout.run(content, resources: resources, ctm: PDFLayout.identity) }
            // Annotations join the page's lines (a form field's value beside its printed label),
            // unless drawn over the page's text: those are read apart, after it.
            var annotations = PDFLayout(doc)
            annotations.operations = layout.operations
            try annotations.annotations(of: page)
            var over = PDFLayout(doc)
            for r in annotations.runs {
                if layout.runs.contains(where: { $0.overlaps(r) }) { over.runs.append(r) } else { layout.runs.append(r) }
            }
            let lines = layout.lines() + over.lines()
            if !lines.isEmpty { pages.append(lines.joined(separator: "\n")) }
        }
        let text = pages.joined(separator: "\n")
        return text.isEmpty ? nil : text
    }
}
