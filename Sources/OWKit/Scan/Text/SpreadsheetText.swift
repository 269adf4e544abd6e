import OWBase

/// A spreadsheet file's text with the scan's Windows-1252 table: CSV, a layer below the charset
/// tables, is given the decoder (issue 30).
extension CSV {
    public static func text(_ bytes: [UInt8], file: String) throws -> (text: String, encoding: String) {
        try text(bytes, file: file, windows1252: { Charset.decode($0, charset: "windows-1252") })
    }
}
