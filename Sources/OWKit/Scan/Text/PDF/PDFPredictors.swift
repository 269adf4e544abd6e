import OWBase

extension PDFFilters {
    /// Undoes a predictor (ISO 32000-1 §7.4.4.4): TIFF 2 (horizontal differencing) or PNG
    /// (10–15: a filter-type byte before each row). Rows are `Colors × BitsPerComponent ×
    /// Columns` bits; a short last row is padded with zeros, as readers do.
    static func unpredict(_ data: [UInt8], _ parms: Parms) -> [UInt8] {
        let bitsPerPixel = parms.colors * parms.bitsPerComponent
        let rowBytes = (bitsPerPixel * parms.columns + 7) / 8
        // More columns than bytes is no row at all (and no buffer of the file's size).
        guard rowBytes > 0, rowBytes <= data.count else { return data }
        if parms.predictor == 2 { return tiff(data, parms, rowBytes: rowBytes) }
        guard parms.predictor >= 10 else { return data }
        return png(data, rowBytes: rowBytes, bytesPerPixel: max(1, (bitsPerPixel + 7) / 8))
    }

    /// PNG predictors, each row choosing its own (None, Sub, Up, Average, Paeth).
    static func png(_ data: [UInt8], rowBytes columns: Int, bytesPerPixel bpp: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var prev = [UInt8](repeating: 0, count: columns)
        var i = 0
        while i < data.count {
            let type = data[i]
            var row = Array(data[(i + 1)..<min(i + 1 + columns, data.count)])
            if row.count < columns { row += [UInt8](repeating: 0, count: columns - row.count) }
            for k in 0..<columns {
                let left = k >= bpp ? row[k - bpp] : 0
                let up = prev[k]
                let upLeft = k >= bpp ? prev[k - bpp] : 0
                switch type {
                case 1: row[k] = row[k] &+ left
                case 2: row[k] = row[k] &+ up
                case 3: row[k] = row[k] &+ UInt8((Int(left) + Int(up)) / 2)
                case 4:
                    let p = Int(left) + Int(up) - Int(upLeft)
                    let pa = abs(p - Int(left))
                    let pb = abs(p - Int(up))
                    let pc = abs(p - Int(upLeft))
                    row[k] = row[k] &+ (pa <= pb && pa <= pc ? left : (pb <= pc ? up : upLeft))
                default: break
                }
            }
            out += row
            prev = row
            i += columns + 1
        }
        return out
    }

    /// TIFF predictor 2: each component is the difference from the same component of the pixel to its left.
    static func tiff(_ data: [UInt8], _ parms: Parms, rowBytes: Int) -> [UInt8] {
        let bpc = parms.bitsPerComponent
        let samples = parms.colors * parms.columns
        let mask = (1 << bpc) - 1
        var out = data
        var start = 0
        func sample(_ j: Int) -> Int {
            var v = 0
            for b in 0..<bpc {
                let bit = start * 8 + j * bpc + b
                v = v << 1 | Int(out[bit >> 3] >> (7 - UInt8(bit & 7)) & 1)
            }
            return v
        }
        func store(_ j: Int, _ v: Int) {
            for b in 0..<bpc {
                let bit = start * 8 + j * bpc + b
                let on = (v >> (bpc - 1 - b)) & 1 == 1
                let m = UInt8(0x80) >> UInt8(bit & 7)
                out[bit >> 3] = on ? out[bit >> 3] | m : out[bit >> 3] & ~m
            }
        }
        while start + rowBytes <= out.count {
            for j in parms.colors..<max(parms.colors, samples) { store(j, (sample(j) + sample(j - parms.colors)) & mask) }
            start += rowBytes
        }
        return out
    }
}
