import OWBase

/// Files embedded in a PDF (ISO 32000-1 §7.11.4): the catalog's `/EmbeddedFiles` name tree and
/// its `/AF` associated files (PDF/A-3, where Factur-X and ZUGFeRD carry their XML). Only XML
/// files are decoded, through the same filter chain and budget as content streams.
extension PDFDocument {
    static let maxEmbeddedFiles = 64
    /// The names Factur-X, ZUGFeRD 1 and 2 and XRechnung give their XML, in lower case.
    static let eInvoiceNames = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"]

    /// The e-invoice the PDF carries (the known file names first, then any other XML file that is one), and the first business document its XML declares (an
    /// Order-X `order-x.xml` declares an order: no bill, whatever the page's "Total" says).
    package func structuredDocument() -> (eInvoice: EInvoice?, declared: DeclaredDocument?) {
        let specs = embeddedFileSpecs().filter { $0.name.lowercased().hasSuffix(".xml") }
        let known = specs.filter { Self.eInvoiceNames.contains($0.name.lowercased()) }
        var first: DeclaredDocument?
        for spec in known + specs.filter({ !Self.eInvoiceNames.contains($0.name.lowercased()) }) {
            guard let ef = dict(spec.spec["EF"]), let bytes = decoded(ef["UF"] ?? ef["F"]),
                let declared = DeclaredDocument.of(bytes)
            else { continue }
            if let e = EInvoice.read(bytes, declared) { return (e, declared) }
            if first == nil { first = declared }
        }
        return (nil, first)
    }

    /// The file specifications of embedded files with their names, each once.
    func embeddedFileSpecs() -> [(name: String, spec: [String: PDFObject])] {
        guard let catalog = catalog() else { return [] }
        var out: [(name: String, spec: [String: PDFObject])] = []
        var seen = Set<Int>()
        func add(_ o: PDFObject?) {
            guard out.count < Self.maxEmbeddedFiles else { return }
            if case .ref(let n, _)? = o { guard seen.insert(n).inserted else { return } }
            guard let d = dict(o), d["EF"] != nil else { return }
            let name = (resolve(d["UF"])?.bytes ?? resolve(d["F"])?.bytes).map(Self.text) ?? ""
            out.append((name, d))
        }
        for o in resolve(catalog["AF"])?.array ?? [] { add(o) }
        var visited = Set<Int>()
        func walk(_ o: PDFObject?, depth: Int) {
            guard depth < 16, out.count < Self.maxEmbeddedFiles else { return }
            if case .ref(let n, _)? = o { guard visited.insert(n).inserted else { return } }
            guard let node = dict(o) else { return }
            let names = resolve(node["Names"])?.array ?? []
            for (k, o) in names.enumerated() where k % 2 == 1 { add(o) }
            for kid in resolve(node["Kids"])?.array ?? [] { walk(kid, depth: depth + 1) }
        }
        walk(dict(catalog["Names"])?["EmbeddedFiles"], depth: 0)
        return out
    }

    /// A PDF text string: UTF-16BE after its byte-order mark, else read as Latin-1 (close enough for file names).
    package static func text(_ b: [UInt8]) -> String {
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF {
            let units = stride(from: 2, to: b.count - 1, by: 2).map { (i: Int) -> UInt16 in
                let high = UInt16(b[i])
                return high << 8 | UInt16(b[i + 1])
            }
            return String(decoding: units, as: UTF16.self)
        }
        return String(b.map { Character(Unicode.Scalar($0)) })
    }
}
